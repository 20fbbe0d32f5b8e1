//! A `--log-format` string compiled, then lines parsed with it.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fiveohone::fuzzing::log_format(data));
