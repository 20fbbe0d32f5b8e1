//! A counters file (`--counters-in`) decoded, detected over and reported.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fiveohone::fuzzing::counters_file(data));
