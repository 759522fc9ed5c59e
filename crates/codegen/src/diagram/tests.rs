//! Tests of the diagram model and its renderers.
