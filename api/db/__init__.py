"""The service's database: models (`models.py`), engine and migrations (`engine.py`)."""
