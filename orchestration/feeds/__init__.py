"""The feeds: their submission contracts and the default-data generator."""
