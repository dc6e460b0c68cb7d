-- name: evaluation_reports
-- purpose: the validated evaluation reports of a programme known at a date (recorded by then, not cancelled): the date they describe, the decision and meeting that validated them, and their DOCX and PDF files (hash and size) to download exactly as they were validated
-- params: $programme_code (varchar), $as_of (date)
select
    r.id,
    r.as_of,
    r.validated_on,
    d.text as decision_text,
    c.name as committee_name,
    dx.sha256 as docx_sha256,
    dx.size_bytes as docx_size,
    pf.sha256 as pdf_sha256,
    pf.size_bytes as pdf_size,
    r.recorded_by,
    r.recorded_at
from evaluation_report as r
join programme as pr on pr.id = r.programme_id
join stored_file as dx on dx.id = r.docx_file_id
join stored_file as pf on pf.id = r.pdf_file_id
left join decision as d on d.id = r.decision_id
left join meeting as m on m.id = d.meeting_id
left join committee as c on c.id = m.committee_id
where pr.code = $programme_code
    and r.cancelled_at is null
    and cast(r.recorded_at as date) <= $as_of
order by r.validated_on desc, r.id desc
