"""The table catalogue against the real schema: every table of a migrated database is
in it, and a writable table's columns are exactly what the catalogue says (the columns a
write may set and the bookkeeping its flags imply)."""

from __future__ import annotations

from dashboard.tracker import catalogue, fmt, records


def _real(db) -> dict[str, list[str]]:
    """Every table of the database (those a backup leaves out too) and its columns."""
    with db.reader() as cur:
        rows = cur.execute(
            "select table_name, column_name from duckdb_columns()"
            " where schema_name = 'main' and database_name = current_database()"
            " and table_name in (select table_name from duckdb_tables()"
            " where database_name = current_database())"
        ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def test_every_table_of_the_schema_is_in_the_catalogue_and_no_other(empty_db):
    real = _real(empty_db)
    assert sorted(set(real) - set(catalogue.TABLES)) == []  # a table missing from it
    assert sorted(set(catalogue.TABLES) - set(real)) == []  # one it invents


def test_a_writable_tables_columns_are_those_the_catalogue_says(empty_db):
    real = _real(empty_db)
    for table in catalogue.TABLES.values():
        if not table.columns:
            continue
        said = set(table.columns) | set(table.bookkeeping)
        assert said == set(real[table.name]), (
            table.name,
            sorted(said - set(real[table.name])),
            sorted(set(real[table.name]) - said),
        )


def test_what_a_table_is_reads_the_same_everywhere():
    """records, the audit's wording, fmt's nouns and the export read the catalogue."""
    assert records.SCHEMA == catalogue.writable()
    assert records.VERSIONED == catalogue.names(versioned=True)
    assert records.agreed("budget_line", "modifié") == "modifiée"
    assert records.agreed("payment", "modifié") == "modifié"
    assert fmt.count_of(0, "attachment") == "aucune pièce jointe"
    assert fmt.count_of(2, "indicator") == "2 indicateurs"
    assert fmt.count_of(0, "commune") == "aucune commune"  # a territory's kind, not a table
    from dashboard.tracker import export

    assert export.SECRET_TABLES == catalogue.names(secret=True)
    assert export.DERIVED_TABLES == catalogue.names(derived=True)
    from dashboard.tracker import backup

    assert backup.NOT_BACKED_UP == catalogue.names(backed_up=False)
