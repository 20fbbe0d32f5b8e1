//! Device groups from User-Agent strings: which OS and which kind of client
//! (browser, native app, bot, HTTP library) sent a request.
//!
//! Browsers, bots and OSes are recognised by the `woothee` crate; native app
//! clients it does not know (okhttp, CFNetwork, Dalvik) by their product
//! token. Each distinct User-Agent is classified once per worker: a small
//! direct-mapped cache answers repeats without hashing the whole string.

use rustc_hash::FxHashMap;
use serde::Serialize;
use woothee::parser::Parser;

/// A group of clients that tend to fail together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Device {
    /// A native iOS app (CFNetwork, an app's own UA naming iPhone/iOS).
    IosApp,
    /// Safari or another browser on iPhone or iPad.
    IosBrowser,
    /// A native Android app (okhttp, Dalvik).
    AndroidApp,
    /// A browser on Android.
    AndroidBrowser,
    /// A browser on an iPad or an Android tablet.
    Tablet,
    /// A desktop browser on Windows.
    Windows,
    /// A desktop browser on macOS.
    Macos,
    /// A desktop browser on Linux or another OS.
    OtherDesktop,
    /// A crawler or monitoring bot.
    Bot,
    /// An HTTP library or command-line tool (curl, python-requests, Go).
    Library,
    /// No User-Agent, or one nothing recognises.
    Unknown,
}

/// Number of [`Device`] groups.
pub const DEVICES: usize = 11;

impl Device {
    /// Every group, in index order.
    pub const ALL: [Device; DEVICES] = [
        Device::IosApp,
        Device::IosBrowser,
        Device::AndroidApp,
        Device::AndroidBrowser,
        Device::Tablet,
        Device::Windows,
        Device::Macos,
        Device::OtherDesktop,
        Device::Bot,
        Device::Library,
        Device::Unknown,
    ];

    /// How the group is shown: `iOS app`, `Android browser`, …
    pub fn name(self) -> &'static str {
        match self {
            Device::IosApp => "iOS app",
            Device::IosBrowser => "iOS browser",
            Device::AndroidApp => "Android app",
            Device::AndroidBrowser => "Android browser",
            Device::Tablet => "tablet browser",
            Device::Windows => "Windows desktop",
            Device::Macos => "macOS desktop",
            Device::OtherDesktop => "Linux/other desktop",
            Device::Bot => "bot",
            Device::Library => "HTTP library",
            Device::Unknown => "unknown",
        }
    }
}

/// Classifies one User-Agent string.
pub fn classify(ua: &[u8]) -> Device {
    let Ok(text) = std::str::from_utf8(ua) else {
        return Device::Unknown;
    };
    let lower = text.to_ascii_lowercase();
    // Native app clients woothee does not name.
    if lower.starts_with("okhttp/") || lower.starts_with("dalvik/") {
        return Device::AndroidApp;
    }
    if lower.contains("cfnetwork/") || lower.contains(" darwin/") {
        return Device::IosApp;
    }
    let parser = Parser::new();
    let Some(result) = parser.parse(text) else {
        return if lower.contains("bot") || lower.contains("spider") || lower.contains("crawl") {
            Device::Bot
        } else if is_library(&lower) {
            Device::Library
        } else {
            Device::Unknown
        };
    };
    let browser = result.browser_type == "browser";
    // woothee calls tablets smartphones: iPads say so, Android tablets
    // leave `Mobile` out.
    let tablet =
        browser && (result.os == "iPad" || (result.os == "Android" && !text.contains("Mobile")));
    match (result.category, result.os) {
        ("crawler", _) => Device::Bot,
        _ if tablet => Device::Tablet,
        (_, "iPhone" | "iPad" | "iPod" | "iOS") => {
            if browser {
                Device::IosBrowser
            } else {
                Device::IosApp
            }
        }
        (_, "Android") => {
            if browser {
                Device::AndroidBrowser
            } else {
                Device::AndroidApp
            }
        }
        ("pc", os) if os.starts_with("Windows") => Device::Windows,
        ("pc", "Mac OSX") => Device::Macos,
        ("pc", _) => Device::OtherDesktop,
        ("misc", _) => Device::Library,
        _ if lower.contains("bot") => Device::Bot,
        _ => Device::Unknown,
    }
}

fn is_library(lower: &str) -> bool {
    [
        "curl/",
        "wget/",
        "python-",
        "python/",
        "go-http-client",
        "java/",
        "apache-httpclient",
        "libwww",
        "node-fetch",
        "axios/",
        "ruby",
        "php/",
        "kube-probe",
        "prometheus",
        "elb-healthchecker",
    ]
    .iter()
    .any(|p| lower.contains(p))
}

thread_local! {
    /// Each worker thread keeps its cache across the chunks it parses.
    static CACHE: std::cell::RefCell<DeviceCache> = std::cell::RefCell::new(DeviceCache::default());
}

/// The group of `ua` (`None`: no User-Agent field), through this thread's
/// cache.
#[inline]
pub fn group(ua: Option<&[u8]>) -> Device {
    match ua {
        None => Device::Unknown,
        Some(ua) => CACHE.with_borrow_mut(|cache| cache.group(Some(ua))),
    }
}

/// Remembers the groups of the User-Agents a worker has seen.
pub struct DeviceCache {
    /// Direct-mapped: slot → (User-Agent, group).
    recent: Vec<Option<(Box<[u8]>, Device)>>,
    /// Every User-Agent classified so far.
    seen: FxHashMap<Box<[u8]>, Device>,
}

const RECENT_SLOTS: usize = 1024;
/// Distinct User-Agents remembered; past that, new ones are classified
/// each time they are met (the cache never grows without bound).
const SEEN_LIMIT: usize = 100_000;
/// Longer User-Agents (real ones are a few hundred bytes) are classified
/// each time rather than remembered, so the cache stays under 100 MB.
const UA_LEN: usize = 1024;

impl Default for DeviceCache {
    fn default() -> Self {
        DeviceCache {
            recent: vec![None; RECENT_SLOTS],
            seen: FxHashMap::default(),
        }
    }
}

impl DeviceCache {
    /// The group of `ua` (`None`: no User-Agent field).
    #[inline]
    pub fn group(&mut self, ua: Option<&[u8]>) -> Device {
        let Some(ua) = ua else {
            return Device::Unknown;
        };
        let slot = quick_hash(ua) % RECENT_SLOTS;
        if let Some((key, device)) = &self.recent[slot] {
            if **key == *ua {
                return *device;
            }
        }
        let device = match self.seen.get(ua) {
            Some(d) => *d,
            None => {
                let d = classify(ua);
                if self.seen.len() < SEEN_LIMIT && ua.len() <= UA_LEN {
                    self.seen.insert(ua.into(), d);
                }
                d
            }
        };
        if ua.len() <= UA_LEN {
            self.recent[slot] = Some((ua.into(), device));
        }
        device
    }
}

/// A cheap hash of a User-Agent: its length and a few words from the start,
/// the middle and the end, where User-Agents differ.
#[inline]
fn quick_hash(ua: &[u8]) -> usize {
    let word = |at: usize| -> u64 {
        let mut w = [0u8; 8];
        let end = (at + 8).min(ua.len());
        if at < end {
            w[..end - at].copy_from_slice(&ua[at..end]);
        }
        u64::from_le_bytes(w)
    };
    let n = ua.len();
    let mix = (n as u64)
        ^ word(0).rotate_left(7)
        ^ word(n / 2).rotate_left(19)
        ^ word(n.saturating_sub(8)).rotate_left(37)
        ^ word(12).rotate_left(53);
    (mix.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_user_agents() {
        let cases = [
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1", Device::IosBrowser),
            ("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", Device::Tablet),
            ("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", Device::Tablet),
            ("ShopApp/5.2.1 (iPad; iOS 17.4; Scale/2.00)", Device::IosApp),
            ("ShopApp/5.2.1 (iPhone; iOS 17.4.1; Scale/3.00)", Device::IosApp),
            ("ShopApp/5.2.1 CFNetwork/1494.0.7 Darwin/23.4.0", Device::IosApp),
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36", Device::AndroidBrowser),
            ("okhttp/4.12.0", Device::AndroidApp),
            ("Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.240205.004)", Device::AndroidApp),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", Device::Windows),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", Device::Macos),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", Device::OtherDesktop),
            ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", Device::Bot),
            ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", Device::Bot),
            ("curl/8.5.0", Device::Library),
            ("python-requests/2.31.0", Device::Library),
            ("Go-http-client/1.1", Device::Library),
            ("kube-probe/1.29", Device::Library),
            ("\\x16\\x03", Device::Unknown),
        ];
        for (ua, want) in cases {
            assert_eq!(classify(ua.as_bytes()), want, "{ua}");
        }
        assert_eq!(classify(b"\xff\xfe"), Device::Unknown);
    }

    #[test]
    fn cache_agrees_with_classify() {
        let mut cache = DeviceCache::default();
        let uas: Vec<Vec<u8>> = (0..3000)
            .map(|i| match i % 3 {
                0 => format!("okhttp/4.{i}").into_bytes(),
                1 => format!("Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/{i}.0").into_bytes(),
                _ => format!("curl/{i}").into_bytes(),
            })
            .collect();
        for _ in 0..2 {
            for ua in &uas {
                assert_eq!(cache.group(Some(ua)), classify(ua));
            }
        }
        assert_eq!(cache.group(None), Device::Unknown);
    }
}
