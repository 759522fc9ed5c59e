//! Tests of the pull-request report.
