//! The tower middleware every leptos-consent shop installs around its router:
//! [`ConsentLayer`], the [`ConsentService`] it wraps the router in, and the service's
//! [`ResponseFuture`].

mod future;
mod layer;
mod service;

pub use future::ResponseFuture;
pub use layer::ConsentLayer;
pub use service::ConsentService;
