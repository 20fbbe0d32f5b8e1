//! Rendering (placeholder until report module lands).
