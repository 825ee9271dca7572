"""The discussion as HTML pages: views, forms, the thread renderer and urlconfs."""
