//! Hydration in several tasks: a part of the page further down (the registration form, the
//! related items) is made interactive in a task of its own after the rest of the page. A phone
//! then never runs one long task for the whole page (Total Blocking Time counts each task's
//! part over 50 ms), and the visitor can scroll and tap between the parts.
//!
//! The server renders the part as usual. In the browser the part's components run when its turn
//! comes, so they must not read the page's hydration data: no resource, `Suspense` or shared
//! value inside a part (create those outside and pass them in), nor set the response's status
//! or headers (on the server a part runs while the page is written). A part that does is stopped
//! loudly in the browser (its data would be read in another order than the server wrote it).
//! Once the app runs, a page the router renders is built at once, nothing waits. A part never
//! misses a change: a part updated before its turn, and every part once the visitor clicks,
//! submits a form or moves in the history (before the router or the part handles it), is
//! hydrated at once. A part must not hold the router's outlet (a page would be hydrated over
//! another page's HTML).
use leptos::prelude::*;
use leptos::tachys::{
    html::attribute::{Attribute, any_attribute::AnyAttribute},
    hydration::Cursor,
    renderer::{CastFrom, Rndr, types::Element},
    ssr::StreamBuilder,
    view::{
        Mountable, Position, PositionState, Render, RenderHtml,
        add_attr::AddAnyAttr,
        any_view::{AnyViewState, AnyViewWithAttrs},
    },
};
use std::{cell::RefCell, collections::VecDeque, rc::Rc};

/// Hydrates `children` in a later task. `children` must render exactly one element (the part's
/// own `<section>` or similar): that element is what is skipped now and hydrated later.
#[component]
pub fn HydrateLater(children: Children) -> impl IntoView {
    Later(Content::Children(children))
}

/// The view of [`HydrateLater`].
pub struct Later(Content);

/// A part's components before they have run, then their view.
enum Content {
    Children(Children),
    View(AnyView),
}

impl Content {
    fn into_view(self) -> AnyView {
        match self {
            // Untracked, as a component body: a signal read here must not re-run the parent.
            Self::Children(children) => untrack(children),
            Self::View(view) => view,
        }
    }
}

/// A part that is hydrated, or waits for its turn (its element, and its components).
enum Part {
    Waiting {
        el: Element,
        content: Content,
        owner: Option<Owner>,
    },
    Hydrating,
    Live(AnyViewState),
}

pub struct LaterState(Rc<RefCell<Part>>);

thread_local! {
    /// Parts waiting for their turn, in page order.
    static QUEUE: RefCell<VecDeque<Box<dyn FnOnce()>>> = RefCell::default();
}

/// Hydrates at once every part still waiting.
#[cfg(feature = "hydrate")]
fn hydrate_waiting_parts_now() {
    while let Some(job) = QUEUE.with_borrow_mut(VecDeque::pop_front) {
        job();
    }
}

/// Hydrates the page: the app at once, then the waiting parts, each in a task of its own. Until
/// they are all done, a click, a form submission or a move in the history hydrates the rest
/// first (capturing listeners on the window, before the router's).
#[cfg(feature = "hydrate")]
pub async fn hydrate_page<F, V>(app: F)
where
    F: FnOnce() -> V + 'static,
    V: IntoView,
{
    use wasm_bindgen::{JsCast, closure::Closure};
    const EVENTS: [&str; 3] = ["click", "submit", "popstate"];
    let window = web_sys::window();
    let hydrate_rest = Closure::<dyn Fn()>::new(hydrate_waiting_parts_now).into_js_value();
    for event in EVENTS {
        window
            .as_ref()
            .map(|w| w.add_event_listener_with_callback_and_bool(event, hydrate_rest.unchecked_ref(), true));
    }
    leptos::mount::hydrate_body(app);
    loop {
        next_task().await;
        let Some(job) = QUEUE.with_borrow_mut(VecDeque::pop_front) else {
            break;
        };
        job();
    }
    for event in EVENTS {
        window
            .as_ref()
            .map(|w| w.remove_event_listener_with_callback_and_bool(event, hydrate_rest.unchecked_ref(), true));
    }
}

/// A new task of the event loop: `scheduler.yield()` where the browser has it (the
/// continuation goes before other queued tasks), else a message to ourselves (`setTimeout`
/// waits 4 ms and more, a second in a background tab).
#[cfg(feature = "hydrate")]
async fn next_task() {
    use js_sys::{Array, Function, Promise, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    let global = js_sys::global();
    let get = |target: &JsValue, name: &str| Reflect::get(target, &name.into()).ok().filter(|v| !v.is_undefined());
    let yielded = get(&global, "scheduler").and_then(|scheduler| {
        let yield_now = get(&scheduler, "yield")?.dyn_into::<Function>().ok()?;
        yield_now.call0(&scheduler).ok()?.dyn_into::<Promise>().ok()
    });
    let promise = yielded.unwrap_or_else(|| {
        Promise::new(&mut |resolve, _| {
            let channel = get(&global, "MessageChannel")
                .and_then(|class| class.dyn_into::<Function>().ok())
                .and_then(|class| Reflect::construct(&class, &Array::new()).ok());
            let ports = channel
                .as_ref()
                .and_then(|c| Some((get(c, "port1")?, get(c, "port2")?)));
            let post = ports
                .as_ref()
                .and_then(|(_, sender)| get(sender, "postMessage")?.dyn_into::<Function>().ok());
            match (ports, post) {
                (Some((receiver, sender)), Some(post)) => {
                    let _ = Reflect::set(&receiver, &"onmessage".into(), &resolve);
                    let _ = post.call1(&sender, &JsValue::NULL);
                }
                _ => {
                    let _ = resolve.call0(&JsValue::UNDEFINED);
                }
            }
        })
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn hydrate_now(part: &RefCell<Part>) {
    let waiting = {
        let mut part = part.borrow_mut();
        if !matches!(*part, Part::Waiting { .. }) {
            return;
        }
        std::mem::replace(&mut *part, Part::Hydrating)
    };
    let Part::Waiting { el, content, owner } = waiting else {
        return;
    };
    let cursor = Cursor::new(el.clone());
    let position = PositionState::new(Position::Current);
    let hydrate = move || {
        // The page's hydration is over: nothing inside may take a place in its data (the ids
        // are spent here, where they no longer matter). Broken rules stop the app loudly, so
        // that the end-to-end tests of every page catch them.
        let context = Owner::current_shared_context();
        let before = context.as_ref().map(|c| c.next_id().into_inner());
        let state = content.into_view().hydrate::<true>(&cursor, &position);
        let after = context.as_ref().map(|c| c.next_id().into_inner());
        if let (Some(before), Some(after)) = (before, after) {
            assert_eq!(
                after,
                before + 1,
                "a part hydrated later reads hydration data (see site::later)"
            );
        }
        assert!(
            matches!(state.elements().as_slice(), [only] if only == &el),
            "a part hydrated later is not exactly one element (see site::later)"
        );
        state
    };
    let state = match owner {
        Some(owner) => owner.with(hydrate),
        None => hydrate(),
    };
    *part.borrow_mut() = Part::Live(state);
}

impl Render for Later {
    type State = LaterState;

    fn build(self) -> Self::State {
        LaterState(Rc::new(RefCell::new(Part::Live(self.0.into_view().build()))))
    }

    fn rebuild(self, state: &mut Self::State) {
        // The server's HTML is that of the part that waits: hydrated with it first.
        hydrate_now(&state.0);
        if let Part::Live(live) = &mut *state.0.borrow_mut() {
            self.0.into_view().rebuild(live);
        }
    }
}

impl AddAnyAttr for Later {
    type Output<SomeNewAttr: Attribute> = AnyViewWithAttrs;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        self.0.into_view().add_any_attr(attr)
    }
}

impl RenderHtml for Later {
    type AsyncOutput = Self;
    type Owned = Self;

    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {
        let content = std::mem::replace(&mut self.0, Content::View(().into_any()));
        let mut view = content.into_view();
        view.dry_resolve();
        self.0 = Content::View(view);
    }

    async fn resolve(self) -> Self::AsyncOutput {
        Later(Content::View(self.0.into_view().resolve().await))
    }

    fn html_len(&self) -> usize {
        match &self.0 {
            Content::View(view) => view.html_len(),
            Content::Children(_) => 0,
        }
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .into_view()
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs);
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) where
        Self: Sized,
    {
        self.0
            .into_view()
            .to_html_async_with_buf::<OUT_OF_ORDER>(buf, position, escape, mark_branches, extra_attrs);
    }

    fn hydrate<const FROM_SERVER: bool>(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        // Where the part's element is: the node an element's own hydration would move to.
        let here = cursor.current();
        let target = match position.get() {
            Position::FirstChild => Rndr::first_child(&here),
            Position::Current => Some(here),
            _ => Rndr::next_sibling(&here),
        };
        let Some(el) = target.and_then(Element::cast_from).filter(|_| FROM_SERVER) else {
            // Not one element (or not server HTML): hydrated now, as any view.
            let state = self.0.into_view().hydrate::<FROM_SERVER>(cursor, position);
            return LaterState(Rc::new(RefCell::new(Part::Live(state))));
        };
        // The rest of the page goes on after the part's element.
        cursor.set(el.clone().into());
        position.set(Position::NextChild);
        let part = Rc::new(RefCell::new(Part::Waiting {
            el,
            content: self.0,
            owner: Owner::current(),
        }));
        // A part whose page has gone before its turn is not hydrated.
        let waiting = Rc::downgrade(&part);
        QUEUE.with_borrow_mut(|queue| {
            queue.push_back(Box::new(move || {
                if let Some(part) = waiting.upgrade() {
                    hydrate_now(&part);
                }
            }))
        });
        LaterState(part)
    }

    async fn hydrate_async(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        let state = self.0.into_view().hydrate_async(cursor, position).await;
        LaterState(Rc::new(RefCell::new(Part::Live(state))))
    }

    fn into_owned(self) -> Self::Owned {
        self
    }
}

impl Mountable for LaterState {
    fn unmount(&mut self) {
        match &mut *self.0.borrow_mut() {
            Part::Live(live) => live.unmount(),
            Part::Waiting { el, .. } => Rndr::remove(el.as_ref()),
            Part::Hydrating => {}
        }
    }

    fn mount(&mut self, parent: &Element, marker: Option<&leptos::tachys::renderer::types::Node>) {
        match &mut *self.0.borrow_mut() {
            Part::Live(live) => live.mount(parent, marker),
            Part::Waiting { el, .. } => Rndr::insert_node(parent, el.as_ref(), marker),
            Part::Hydrating => {}
        }
    }

    fn try_mount(&mut self, parent: &Element, marker: Option<&leptos::tachys::renderer::types::Node>) -> bool {
        match &mut *self.0.borrow_mut() {
            Part::Live(live) => live.try_mount(parent, marker),
            Part::Waiting { el, .. } => {
                Rndr::insert_node(parent, el.as_ref(), marker);
                true
            }
            Part::Hydrating => false,
        }
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        match &*self.0.borrow() {
            Part::Live(live) => live.insert_before_this(child),
            Part::Waiting { el, .. } => match Rndr::get_parent(el.as_ref()).and_then(Element::cast_from) {
                Some(parent) => {
                    child.mount(&parent, Some(el.as_ref()));
                    true
                }
                None => false,
            },
            Part::Hydrating => false,
        }
    }

    fn elements(&self) -> Vec<Element> {
        match &*self.0.borrow() {
            Part::Live(live) => live.elements(),
            Part::Waiting { el, .. } => vec![el.clone()],
            Part::Hydrating => Vec::new(),
        }
    }
}
