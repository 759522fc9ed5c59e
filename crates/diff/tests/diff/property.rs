//! Property test placeholder until the generator lands.
