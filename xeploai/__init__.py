"""xeploai: review, evaluation and quality classification of party organizations and members."""

__version__ = "0.1.0"
