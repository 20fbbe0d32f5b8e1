//! Every built-in access grammar (nginx and Apache) over one line.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fiveohone::fuzzing::access_line(data));
