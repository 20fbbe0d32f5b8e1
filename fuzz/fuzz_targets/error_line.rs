//! The nginx and Apache error-log layouts over one line.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fiveohone::fuzzing::error_line(data));
