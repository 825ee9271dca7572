"""The comments API: /api/v1/comments/… (serializers, views, filters, permissions, urls)."""
