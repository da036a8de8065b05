"""The prompts the generator sends to a model, one file each (see summary.yml)."""
