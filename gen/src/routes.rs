//! Routes, and what their requests look like: method, path, status, body
//! size and referer.

use crate::access::Generator;
use crate::clients::Profile;
use crate::digits::{push_hex_fixed, push_u64};
use crate::vocab::{IMAGES, PAGES, REFERERS, SCANNER_PATHS, WORDS};

/// What a request is for; decides its method, path, status and size.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    Home,
    Page,
    User,
    Orders,
    Products,
    Search,
    Login,
    Logout,
    Health,
    Js,
    Css,
    Image,
    Favicon,
    Robots,
    Scanner,
    Rare,
    /// The route of a [`ScenarioKind::RouteMisconfig`](crate::ScenarioKind::RouteMisconfig).
    Misconfig,
}

impl Route {
    pub(crate) fn is_api(self) -> bool {
        matches!(
            self,
            Route::User | Route::Orders | Route::Products | Route::Health
        )
    }

    /// Served by the application (what a broken deploy breaks).
    pub(crate) fn is_app(self) -> bool {
        matches!(
            self,
            Route::Home
                | Route::Page
                | Route::User
                | Route::Orders
                | Route::Products
                | Route::Search
                | Route::Login
                | Route::Logout
                | Route::Health
        )
    }

    /// Served from disk by the front server rather than proxied upstream.
    pub(crate) fn is_static(self) -> bool {
        matches!(
            self,
            Route::Js | Route::Css | Route::Image | Route::Favicon | Route::Robots
        )
    }
}

impl Generator<'_> {
    pub(crate) fn pick_method(&mut self, route: Route, profile: Profile) -> &'static str {
        let r = self.rng.below(1000);
        match route {
            Route::Home | Route::Page | Route::Js | Route::Css | Route::Image => {
                if (profile == Profile::Bot && r < 30) || r < 8 {
                    "HEAD"
                } else {
                    "GET"
                }
            }
            Route::Favicon | Route::Robots | Route::Search | Route::Scanner => {
                if route == Route::Scanner && r < 150 {
                    "POST"
                } else {
                    "GET"
                }
            }
            Route::User => match r {
                0..=659 => "GET",
                660..=809 => "PUT",
                810..=869 => "DELETE",
                870..=929 => "PATCH",
                _ => "OPTIONS",
            },
            Route::Orders => match r {
                0..=579 => "GET",
                580..=899 => "POST",
                900..=949 => "DELETE",
                _ => "OPTIONS",
            },
            Route::Products => match r {
                0..=919 => "GET",
                _ => "OPTIONS",
            },
            Route::Login => match r {
                0..=399 => "GET",
                _ => "POST",
            },
            Route::Logout => "POST",
            Route::Health => match r {
                0..=799 => "GET",
                _ => "HEAD",
            },
            Route::Rare => match r {
                0..=599 => "PROPFIND",
                _ => "TRACE",
            },
            Route::Misconfig => match r {
                0..=849 => "GET",
                _ => "POST",
            },
        }
    }

    pub(crate) fn write_path(
        &mut self,
        buf: &mut Vec<u8>,
        route: Route,
        quoted: bool,
        nginx: bool,
    ) {
        let rng = &mut self.rng;
        match route {
            Route::Home => {
                buf.push(b'/');
                match rng.below(20) {
                    0 => buf.extend_from_slice(b"?utm_source=newsletter&utm_medium=email"),
                    1 => buf.extend_from_slice(b"?lang=de"),
                    _ => {}
                }
            }
            Route::Page => buf.extend_from_slice(rng.pick(&PAGES).as_bytes()),
            Route::User => {
                buf.extend_from_slice(b"/api/v1/users/");
                push_u64(buf, rng.range(1, 99_999));
                if rng.below(10) == 0 {
                    buf.extend_from_slice(b"?fields=name,email");
                }
            }
            Route::Orders => {
                buf.extend_from_slice(b"/api/v1/orders/");
                let a = rng.next_u64();
                let b = rng.next_u64();
                push_hex_fixed(buf, a >> 32, 8);
                buf.push(b'-');
                push_hex_fixed(buf, a >> 16, 4);
                buf.extend_from_slice(b"-4");
                push_hex_fixed(buf, a, 3);
                buf.push(b'-');
                push_hex_fixed(buf, 0x8 | (b >> 62), 1);
                push_hex_fixed(buf, b >> 48, 3);
                buf.push(b'-');
                push_hex_fixed(buf, b, 12);
                buf.extend_from_slice(b"/items");
                if rng.below(8) == 0 {
                    buf.extend_from_slice(b"?page=");
                    push_u64(buf, rng.range(2, 9));
                    buf.extend_from_slice(b"&per_page=50");
                }
            }
            Route::Products => {
                buf.extend_from_slice(b"/api/v1/products");
                if rng.below(2) == 0 {
                    buf.push(b'/');
                    push_u64(buf, rng.range(1000, 9999));
                } else {
                    buf.extend_from_slice(b"?category=");
                    buf.extend_from_slice(rng.pick(&WORDS[..14]).as_bytes());
                    if rng.below(3) == 0 {
                        buf.extend_from_slice(b"&page=");
                        push_u64(buf, rng.range(2, 20));
                    }
                }
            }
            Route::Search => {
                buf.extend_from_slice(b"/search?q=");
                if quoted {
                    let q: &[u8] = if nginx { b"\\x22" } else { b"\\\"" };
                    buf.extend_from_slice(q);
                    buf.extend_from_slice(rng.pick(&WORDS).as_bytes());
                    buf.push(b'+');
                    buf.extend_from_slice(rng.pick(&WORDS).as_bytes());
                    buf.extend_from_slice(q);
                } else {
                    buf.extend_from_slice(rng.pick(&WORDS).as_bytes());
                    if rng.below(2) == 0 {
                        buf.push(b'+');
                        buf.extend_from_slice(rng.pick(&WORDS).as_bytes());
                    }
                    if rng.below(5) == 0 {
                        buf.extend_from_slice(b"&page=");
                        push_u64(buf, rng.range(2, 12));
                    }
                }
            }
            Route::Login => {
                buf.extend_from_slice(b"/login");
                if rng.below(6) == 0 {
                    buf.extend_from_slice(b"?next=%2Faccount");
                }
            }
            Route::Logout => buf.extend_from_slice(b"/logout"),
            Route::Health => buf.extend_from_slice(if rng.below(2) == 0 {
                b"/healthz"
            } else {
                b"/api/v1/health"
            }),
            Route::Js | Route::Css => {
                let build = *rng.pick(&self.builds);
                let name = *rng.pick(&["app", "vendor", "runtime"]);
                buf.extend_from_slice(b"/static/");
                buf.extend_from_slice(name.as_bytes());
                buf.push(b'.');
                push_hex_fixed(buf, build, 8);
                buf.extend_from_slice(if route == Route::Js { b".js" } else { b".css" });
                if rng.below(15) == 0 {
                    buf.extend_from_slice(b"?v=");
                    push_u64(buf, rng.range(1, 9));
                }
            }
            Route::Image => buf.extend_from_slice(rng.pick(&IMAGES).as_bytes()),
            Route::Favicon => buf.extend_from_slice(b"/favicon.ico"),
            Route::Robots => buf.extend_from_slice(if rng.below(3) == 0 {
                b"/sitemap.xml"
            } else {
                b"/robots.txt"
            }),
            Route::Scanner => buf.extend_from_slice(rng.pick(&SCANNER_PATHS).as_bytes()),
            Route::Rare => buf.extend_from_slice(if rng.below(2) == 0 {
                b"/webdav/"
            } else {
                b"/remote.php/dav/files/"
            }),
            // Written by the caller, which knows the scenario.
            Route::Misconfig => {}
        }
    }

    /// The status of an ordinary request: a burst's 501, or the route's
    /// usual mix.
    pub(crate) fn pick_status(&mut self, route: Route, method: &str, ts: i64) -> u16 {
        for burst in &self.cfg.bursts {
            if burst.contains(ts) && self.rng.unit() < burst.rate {
                return 501;
            }
        }
        let rng = &mut self.rng;
        if route == Route::Rare {
            return 405;
        }
        if method == "OPTIONS" {
            return 204;
        }
        if !route.is_static() && route != Route::Scanner {
            match rng.below(10_000) {
                0..=29 => return 500,
                30..=54 => return 502,
                55..=74 => return 503,
                75..=84 => return 504,
                _ => {}
            }
        }
        let r = rng.below(10_000);
        match route {
            Route::Js | Route::Css | Route::Image => match r {
                0..=8399 => 200,
                8400..=9949 => 304,
                _ => 404,
            },
            Route::Favicon => match r {
                0..=8999 => 200,
                9000..=9799 => 304,
                _ => 404,
            },
            Route::Robots => 200,
            Route::Home => match r {
                0..=9299 => 200,
                9300..=9799 => 304,
                _ => 301,
            },
            Route::Page => match r {
                0..=9099 => 200,
                9100..=9599 => 304,
                9600..=9799 => 301,
                _ => 404,
            },
            Route::User => match method {
                "PUT" | "PATCH" => match r {
                    0..=8999 => 200,
                    9000..=9499 => 400,
                    9500..=9799 => 401,
                    _ => 422,
                },
                "DELETE" => match r {
                    0..=7999 => 204,
                    8000..=9499 => 404,
                    _ => 403,
                },
                _ => match r {
                    0..=8799 => 200,
                    8800..=9499 => 404,
                    9500..=9799 => 401,
                    _ => 403,
                },
            },
            Route::Orders => match method {
                "POST" => match r {
                    0..=8499 => 201,
                    8500..=9499 => 400,
                    _ => 422,
                },
                "DELETE" => match r {
                    0..=8999 => 204,
                    _ => 404,
                },
                _ => match r {
                    0..=8999 => 200,
                    9000..=9599 => 404,
                    _ => 401,
                },
            },
            Route::Products => match r {
                0..=9399 => 200,
                9400..=9699 => 304,
                _ => 404,
            },
            Route::Search => match r {
                0..=9699 => 200,
                9700..=9799 => 400,
                _ => 429,
            },
            Route::Login => match method {
                "POST" => match r {
                    0..=6499 => 302,
                    6500..=7999 => 200,
                    8000..=9499 => 401,
                    _ => 429,
                },
                _ => match r {
                    0..=9499 => 200,
                    _ => 304,
                },
            },
            Route::Logout => 302,
            Route::Health => match r {
                0..=9989 => 200,
                _ => 503,
            },
            Route::Scanner => match r {
                0..=9199 => 404,
                9200..=9799 => 403,
                _ => 301,
            },
            Route::Rare => 405,
            Route::Misconfig => 200,
        }
    }

    pub(crate) fn body_bytes(&mut self, route: Route, method: &str, status: u16) -> u64 {
        if method == "HEAD" {
            return 0;
        }
        let rng = &mut self.rng;
        match status {
            204 | 304 => 0,
            200 => match route {
                Route::Js => rng.range(20_000, 420_000),
                Route::Css => rng.range(5_000, 80_000),
                Route::Image => rng.range(1_500, 180_000),
                Route::Favicon => 15_086,
                Route::Robots => rng.range(68, 2_400),
                Route::Home => rng.range(14_000, 18_500),
                Route::Page | Route::Login => rng.range(6_000, 42_000),
                Route::Search => rng.range(9_000, 60_000),
                Route::Health => rng.range(2, 60),
                Route::Misconfig => rng.range(20_000, 2_000_000),
                _ => rng.range(80, 6_000),
            },
            201 => rng.range(120, 900),
            301 => 169,
            302 => 145,
            400 if route.is_api() => rng.range(40, 220),
            400 => 157,
            401 if route.is_api() => rng.range(30, 90),
            401 => 179,
            403 => 153,
            404 if route.is_api() => rng.range(25, 80),
            404 => 153,
            405 => 157,
            422 => rng.range(60, 400),
            429 => 169,
            500 => 177,
            501 => 181,
            502 => 157,
            503 => 190,
            504 => 167,
            _ => rng.range(0, 500),
        }
    }

    pub(crate) fn pick_referer(&mut self, route: Route, profile: Profile) -> &'static str {
        if profile != Profile::Browser {
            return if profile == Profile::Scanner && self.rng.below(20) == 0 {
                "http://example.com/"
            } else {
                "-"
            };
        }
        let r = self.rng.below(100);
        if route.is_static() && route != Route::Robots {
            if r < 85 {
                return REFERERS[self.rng.below(3) as usize];
            }
            return "-";
        }
        match r {
            0..=44 => "-",
            45..=69 => REFERERS[self.rng.below(3) as usize],
            _ => REFERERS[3 + self.rng.below(6) as usize],
        }
    }
}
