"""Batch extraction of a folder: tasks, page scheduling, the cache, the dataset."""
