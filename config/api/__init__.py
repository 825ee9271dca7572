"""API-wide policy, set once: the error format, parsing, rendering, pagination,
pagination, and the root urlconf that joins each app's routes."""
