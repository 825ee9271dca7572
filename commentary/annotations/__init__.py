"""The discussion in the W3C's words: every comment as a Web Annotation, containers per
work and per reading group that speak the Annotation Protocol, and imports of annotations
written elsewhere (Hypothesis exports, W3C AnnotationPages)."""
