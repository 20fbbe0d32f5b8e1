//! The synthetic client population: who each client is (address, agent,
//! user, protocol) and which routes each kind of client requests.

use crate::digits::{push_hex, push_u64};
use crate::rng::Rng;
use crate::routes::Route;
use crate::vocab::{
    CLIENT_UAS, UA_BINGBOT, UA_CURL, UA_DALVIK, UA_GO, UA_GOOGLEBOT, UA_IOS_APP, UA_IOS_CFNETWORK,
    UA_IOS_IPAD, UA_NONE, UA_OKHTTP, UA_PYTHON, USERS, V4_FIRST, V6_PREFIXES,
};

/// Number of distinct clients in the synthetic population.
pub(crate) const CLIENTS: usize = 3000;

/// What kind of client a pool entry is; decides which routes it requests.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Profile {
    Browser,
    App,
    Bot,
    Script,
    Scanner,
}

pub(crate) const BROWSER_ROUTES: [(Route, u32); 13] = [
    (Route::Home, 10),
    (Route::Page, 8),
    (Route::User, 4),
    (Route::Orders, 4),
    (Route::Products, 10),
    (Route::Search, 7),
    (Route::Login, 3),
    (Route::Logout, 1),
    (Route::Js, 14),
    (Route::Css, 7),
    (Route::Image, 16),
    (Route::Favicon, 3),
    (Route::Robots, 0),
];
pub(crate) const APP_ROUTES: [(Route, u32); 7] = [
    (Route::User, 25),
    (Route::Orders, 25),
    (Route::Products, 30),
    (Route::Search, 10),
    (Route::Login, 5),
    (Route::Logout, 1),
    (Route::Image, 4),
];
pub(crate) const BOT_ROUTES: [(Route, u32); 8] = [
    (Route::Home, 10),
    (Route::Page, 35),
    (Route::Products, 25),
    (Route::Search, 5),
    (Route::Robots, 5),
    (Route::Image, 10),
    (Route::Css, 5),
    (Route::Js, 5),
];
pub(crate) const SCRIPT_ROUTES: [(Route, u32); 8] = [
    (Route::Health, 30),
    (Route::Products, 20),
    (Route::User, 20),
    (Route::Orders, 10),
    (Route::Home, 10),
    (Route::Login, 2),
    (Route::Rare, 1),
    (Route::Scanner, 5),
];
pub(crate) const SCANNER_ROUTES: [(Route, u32); 4] = [
    (Route::Scanner, 85),
    (Route::Home, 8),
    (Route::Rare, 3),
    (Route::Login, 4),
];

/// One member of the synthetic client population.
pub(crate) struct Client {
    pub(crate) ip: String,
    pub(crate) ua: usize,
    pub(crate) profile: Profile,
    pub(crate) user: &'static str,
    pub(crate) proto: &'static str,
    pub(crate) xff: String,
}

pub(crate) fn make_client(rng: &mut Rng) -> Client {
    let ua = rng.weighted(&CLIENT_UAS);
    let profile = match ua {
        UA_GOOGLEBOT | UA_BINGBOT => Profile::Bot,
        UA_OKHTTP | UA_DALVIK | UA_IOS_APP | UA_IOS_CFNETWORK | UA_IOS_IPAD => Profile::App,
        UA_CURL => Profile::Script,
        UA_PYTHON | UA_GO => {
            if rng.below(2) == 0 {
                Profile::Script
            } else {
                Profile::Scanner
            }
        }
        UA_NONE => Profile::Scanner,
        _ => Profile::Browser,
    };
    let mut ip = Vec::with_capacity(40);
    match ua {
        UA_GOOGLEBOT => {
            ip.extend_from_slice(b"66.249.");
            push_u64(&mut ip, rng.range(64, 79));
            ip.push(b'.');
            push_u64(&mut ip, rng.range(1, 254));
        }
        UA_BINGBOT => {
            ip.extend_from_slice(if rng.below(2) == 0 {
                b"40.77.167."
            } else {
                b"157.55.39."
            });
            push_u64(&mut ip, rng.range(1, 254));
        }
        _ if rng.below(100) < 12 => {
            ip.extend_from_slice(rng.pick(&V6_PREFIXES).as_bytes());
            if rng.below(2) == 0 {
                for _ in 0..6 {
                    ip.push(b':');
                    push_hex(&mut ip, rng.below(0x10000));
                }
            } else {
                for _ in 0..2 {
                    ip.push(b':');
                    push_hex(&mut ip, rng.range(1, 0xffff));
                }
                ip.push(b':');
                for _ in 0..rng.range(1, 2) {
                    ip.push(b':');
                    push_hex(&mut ip, rng.range(1, 0xffff));
                }
            }
        }
        _ => {
            push_u64(&mut ip, u64::from(*rng.pick(&V4_FIRST)));
            ip.push(b'.');
            push_u64(&mut ip, rng.below(256));
            ip.push(b'.');
            push_u64(&mut ip, rng.below(256));
            ip.push(b'.');
            push_u64(&mut ip, rng.range(1, 254));
        }
    }
    let user = if profile == Profile::Browser && rng.below(100) == 0 {
        *rng.pick(&USERS)
    } else {
        "-"
    };
    let proto = match profile {
        Profile::Browser | Profile::App if rng.below(100) < 65 => "HTTP/2.0",
        Profile::Scanner if rng.below(3) == 0 => "HTTP/1.0",
        _ => "HTTP/1.1",
    };
    let xff = if rng.below(100) < 12 {
        let mut x = Vec::with_capacity(32);
        x.extend_from_slice(b"203.0.113.");
        push_u64(&mut x, rng.range(1, 254));
        if rng.below(2) == 0 {
            x.extend_from_slice(b", 10.0.");
            push_u64(&mut x, rng.below(4));
            x.push(b'.');
            push_u64(&mut x, rng.range(2, 254));
        }
        String::from_utf8_lossy(&x).into_owned()
    } else {
        "-".to_owned()
    };
    Client {
        ip: String::from_utf8_lossy(&ip).into_owned(),
        ua,
        profile,
        user,
        proto,
        xff,
    }
}
