#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| cunwu_fuzz::compliance_reader(data));
