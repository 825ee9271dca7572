"""The edition as HTML pages: the reading views and their urlconf."""
