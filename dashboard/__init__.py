"""cdv-tracker: suivi des programmes d'évaluation des contrats de ville."""

__version__ = "0.1.0"
