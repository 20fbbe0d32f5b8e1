//! A block of lines through the scanner, as an access and as an error log.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fiveohone::fuzzing::scan_block(data));
