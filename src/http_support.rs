//! Feature `http`: classifying the request types of the [`http`] crate, which
//! hyper, axum and tower share.
//!
//! A request's target is its [`Uri`]: in origin-form (`/v1.0/me/...`, what a
//! server receives from a client) the route borrows from it; in absolute-form
//! (`https://graph.microsoft.com/v1.0/...`, what a forward proxy receives),
//! `Uri` keeps scheme, authority and path apart, so the target is put back
//! together and the route owns its values. Offsets count in that target.
//!
//! `Uri` has already refused what it cannot hold (a raw space, say) and made
//! two changes the parser cannot undo: it drops a `#fragment`, and it gives
//! an absolute URI without a path the path `/` (`https://host` becomes
//! `https://host/`, a `syntax` error rather than `incomplete`). A gateway
//! that must refuse `#` has to look at the raw request line.

use std::borrow::Cow;

use http::{Method, Request, Uri};

use crate::{Error, Parser, Route};

impl Parser {
    /// Classifies an [`http::Request`] by its method and URI (see
    /// [`Parser::classify_uri`]); the body is not looked at.
    ///
    /// ```
    /// let parser = graph_checkout_route::Parser::new().versions(["v1.0"]);
    /// let request = http::Request::post("/v1.0/me/drive/root/checkout").body(()).unwrap();
    /// let route = parser.classify_request(&request).unwrap();
    /// assert_eq!(route.template(), "/me/drive/root/checkout");
    /// ```
    pub fn classify_request<'a, B>(&'a self, request: &'a Request<B>) -> Result<Route<'a>, Error> {
        self.classify_uri(request.method(), request.uri())
    }

    /// Classifies a method and a request URI: the method must be `POST`, the
    /// URI is the request target (origin-form or absolute-form).
    ///
    /// ```
    /// use http::{Method, Uri};
    ///
    /// let parser = graph_checkout_route::Parser::new();
    /// let uri: Uri = "https://graph.microsoft.com/v1.0/drives/b!x/root/checkout".parse().unwrap();
    /// let route = parser.classify_uri(&Method::POST, &uri).unwrap();
    /// assert_eq!(route.template(), "/drives/{drivesId}/root/checkout");
    ///
    /// let err = parser.classify_uri(&Method::GET, &uri).unwrap_err();
    /// assert_eq!(err.kind(), graph_checkout_route::ErrorKind::Method);
    /// ```
    pub fn classify_uri<'a>(&'a self, method: &Method, uri: &'a Uri) -> Result<Route<'a>, Error> {
        match target(uri) {
            Cow::Borrowed(target) => self.classify(method.as_str(), target),
            Cow::Owned(target) => self.classify(method.as_str(), &target).map(Route::owned),
        }
    }
}

/// The request target a [`Uri`] was parsed from: borrowed in origin-form,
/// put back together otherwise. `http` lowercases a known scheme (`HTTPS`
/// comes back as `https`), which changes no offset and no decision, since
/// the scheme is compared ASCII case-insensitively.
pub(crate) fn target(uri: &Uri) -> Cow<'_, str> {
    match (uri.scheme_str(), uri.authority()) {
        (None, None) => Cow::Borrowed(uri.path_and_query().map_or("", |pq| pq.as_str())),
        (Some(scheme), Some(authority)) => {
            let path = uri.path_and_query().map_or("", |pq| pq.as_str());
            Cow::Owned(format!("{scheme}://{authority}{path}"))
        }
        // Authority-form (`CONNECT host:443`): no path at all.
        (_, Some(authority)) => Cow::Borrowed(authority.as_str()),
        (Some(scheme), None) => Cow::Owned(format!("{scheme}:")),
    }
}
