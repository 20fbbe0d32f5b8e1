//! What the lines are made of: User-Agents, referers, users, addresses,
//! words, paths, scanners' methods, and the garbage lines.

pub(crate) const UA_IPAD_SAFARI: usize = 7;
pub(crate) const UA_OKHTTP: usize = 10;
pub(crate) const UA_CURL: usize = 11;
pub(crate) const UA_GOOGLEBOT: usize = 12;
pub(crate) const UA_BINGBOT: usize = 13;
pub(crate) const UA_PYTHON: usize = 14;
pub(crate) const UA_GO: usize = 15;
pub(crate) const UA_NONE: usize = 16;
pub(crate) const UA_IOS_APP: usize = 17;
pub(crate) const UA_IOS_CFNETWORK: usize = 18;
pub(crate) const UA_IOS_IPAD: usize = 19;
pub(crate) const UA_DALVIK: usize = 20;

pub(crate) const USER_AGENTS: [&str; 21] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
    "okhttp/4.12.0",
    "curl/8.5.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "-",
    "ShopApp/5.2.1 (iPhone; iOS 17.4.1; Scale/3.00)",
    "ShopApp/5.2.1 CFNetwork/1494.0.7 Darwin/23.4.0",
    "ShopApp/5.2.1 (iPad; iOS 17.4; Scale/2.00)",
    "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.240405.002)",
];

/// User agents of ordinary clients, with weights. The native apps (the iOS
/// app's three agents; the Android app's okhttp and Dalvik) are each about a
/// tenth of the clients.
pub(crate) const CLIENT_UAS: [(usize, u32); 21] = [
    (0, 260),
    (1, 90),
    (2, 45),
    (3, 12),
    (4, 55),
    (5, 50),
    (6, 150),
    (7, 20),
    (8, 120),
    (9, 25),
    (UA_OKHTTP, 60),
    (UA_CURL, 15),
    (UA_GOOGLEBOT, 20),
    (UA_BINGBOT, 8),
    (UA_PYTHON, 18),
    (UA_GO, 10),
    (UA_NONE, 6),
    (UA_IOS_APP, 70),
    (UA_IOS_CFNETWORK, 35),
    (UA_IOS_IPAD, 8),
    (UA_DALVIK, 40),
];

pub(crate) const REFERERS: [&str; 9] = [
    "https://www.example.com/",
    "https://www.example.com/products?category=shoes",
    "https://www.example.com/search?q=running+shoes",
    "https://www.google.com/",
    "https://www.bing.com/",
    "https://duckduckgo.com/",
    "https://t.co/",
    "android-app://com.google.android.gm/",
    "https://www.facebook.com/",
];

pub(crate) const USERS: [&str; 5] = ["alice", "bob", "admin", "deploy", "svc-monitor"];

pub(crate) const V4_FIRST: [u8; 32] = [
    24, 31, 37, 46, 62, 68, 73, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93,
    94, 95, 98, 109, 176, 178, 185, 212,
];

pub(crate) const V6_PREFIXES: [&str; 8] = [
    "2a01:cb00",
    "2a02:8109",
    "2001:16b8",
    "2600:1700",
    "2a00:23c5",
    "2003:e6",
    "2a01:e0a",
    "2607:fb91",
];

pub(crate) const WORDS: [&str; 20] = [
    "shoes",
    "running",
    "jacket",
    "red",
    "sale",
    "wool",
    "socks",
    "kids",
    "gift",
    "black",
    "boots",
    "rain",
    "summer",
    "dress",
    "linen",
    "caf%C3%A9",
    "size+42",
    "leather",
    "bag",
    "hat",
];

pub(crate) const PAGES: [&str; 8] = [
    "/about",
    "/pricing",
    "/contact",
    "/docs/getting-started",
    "/blog/2026/04/spring-collection",
    "/blog/2026/05/shipping-update",
    "/account",
    "/cart",
];

pub(crate) const IMAGES: [&str; 8] = [
    "/static/img/logo.svg",
    "/static/img/hero.webp",
    "/static/img/banner-summer.jpg",
    "/static/img/products/1042.jpg",
    "/static/img/products/2210.jpg",
    "/static/img/icons/cart.png",
    "/static/img/icons/user.png",
    "/apple-touch-icon.png",
];

pub(crate) const SCANNER_PATHS: [&str; 10] = [
    "/wp-login.php",
    "/.env",
    "/.git/config",
    "/phpmyadmin/index.php",
    "/xmlrpc.php",
    "/cgi-bin/luci/;stok=/locale",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/actuator/env",
    "/boaform/admin/formLogin",
    "/wp-content/plugins/wp-file-manager/readme.txt",
];

pub(crate) const TEXT_GARBAGE: [&str; 9] = [
    "random text without format",
    "Connection reset by peer",
    "-- MARK --",
    "<html><head><title>502 Bad Gateway</title></head>",
    "Host: www.example.com",
    "#Fields: date time c-ip cs-method cs-uri-stem sc-status",
    "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)",
    "logrotate: ALERT exited abnormally with [1]",
    "{\"level\":\"warn\",\"msg\":\"upstream answered\",\"status\":501,\"path\":\"/api/v1/users\"}",
];

/// First octets of unsupported-method scanners: none of them is a client's.
pub(crate) const SCANNER_NETS: [u8; 6] = [45, 141, 162, 167, 193, 194];

pub(crate) const SCANNER_UAS: [&str; 4] = [
    "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
    "-",
    "Mozilla/5.0 zgrab/0.x",
    "masscan/1.3 (https://github.com/robertdavidgraham/masscan)",
];

/// WebDAV and diagnostic methods the servers do not implement.
pub(crate) const DAV_METHODS: [&str; 5] = ["PROPFIND", "SEARCH", "MKCOL", "TRACE", "LOCK"];

/// Made-up verbs scanners try.
pub(crate) const CUSTOM_VERBS: [&str; 4] = ["FOOBAR", "DEBUG", "TRACK", "QWERTY"];

pub(crate) const SCAN_DAV_PATHS: [&str; 8] = [
    "/",
    "/webdav/",
    "/remote.php/dav/",
    "/dav/",
    "/.well-known/caldav",
    "/uploads/",
    "/index.php",
    "/owa/",
];

/// Routes of [`ScenarioKind::RouteMisconfig`](crate::ScenarioKind::RouteMisconfig): found nowhere else.
pub(crate) const MISCONFIG_ROUTES: [&str; 3] = [
    "/api/v1/reports/export",
    "/api/v2/invoices/bulk",
    "/account/data-export",
];

pub(crate) const MISCONFIG_QUERIES: [&str; 4] = [
    "",
    "?format=csv",
    "?format=xlsx&period=2026-04",
    "?format=pdf&lang=de",
];

/// Files the error logs say are missing.
pub(crate) const MISSING_FILES: [&str; 9] = [
    "/apple-touch-icon-precomposed.png",
    "/apple-touch-icon-120x120.png",
    "/wp-login.php",
    "/.env",
    "/ads.txt",
    "/.well-known/security.txt",
    "/static/app.js.map",
    "/static/img/products/9931.jpg",
    "/favicon-32x32.png",
];
