"""API-wide policy, set once: the error format, parsing, rendering and pagination, and
the root urlconf that joins each app's routes. Settings name these in REST_FRAMEWORK."""
