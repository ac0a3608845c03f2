//! Listing over `Offset`/`Limit`.
//!
//! The first page is fetched alone to learn `TotalCount`; the remaining pages are then
//! fetched concurrently (the rate budget still spaces them) and yielded in order. Totals
//! that change while paging are tolerated: a larger total schedules more pages, a smaller
//! one stops scheduling, and items seen twice (shifted across a page boundary) are dropped.
//! The listing ends at TotalCount without an extra "is there more" call.
//!
//! A broken or hostile answer cannot make a listing run forever: it fails with
//! `ClientError.Decode` when a TotalCount is negative or above [`MAX_TOTAL_COUNT`], when
//! more pages arrive than the first TotalCount allows for (see [`PAGE_SLACK`]), when a
//! listing without TotalCount runs past [`MAX_TOTAL_COUNT`] items, or when a page comes back
//! empty although its own TotalCount says there is more from its offset.

use crate::models::{cvm, vpc};
use crate::{Action, Client, Error};
use futures::future::BoxFuture;
use futures::stream::{self, FuturesOrdered, Stream, StreamExt};
use std::collections::HashSet;

/// A list action with Limit/Offset paging.
pub trait PagedAction: Action + Clone + 'static {
    type Item: Send + 'static;
    /// Sets the page, encoding the numbers as this action expects (integers for CVM,
    /// strings for most VPC lists).
    fn set_page(&mut self, offset: u64, limit: u64);
    /// The caller's own Offset and Limit, if set.
    fn page(&self) -> (Option<u64>, Option<u64>);
    /// `(TotalCount, items)` of one answer, TotalCount as sent (it may be negative).
    fn split(output: Self::Output) -> (Option<i64>, Vec<Self::Item>);
    /// The answer's RequestId, kept in an error about the page.
    fn request_id(_output: &Self::Output) -> Option<&str> {
        None
    }
    /// A stable id for de-duplication, when the item has one.
    fn key(item: &Self::Item) -> Option<&str>;
}

/// One page of a listing.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub offset: u64,
    pub items: Vec<T>,
    /// TotalCount as reported by this page.
    pub total: u64,
}

pub const MAX_PAGE: u64 = 100;

/// The largest TotalCount believed. Ten times the biggest real inventories (CVM quotas
/// are thousands per region): a larger count is a broken answer, and paging it would take
/// hours of calls.
pub const MAX_TOTAL_COUNT: u64 = 1_000_000;

/// How many pages a listing may grow by while it is paged, beyond the first TotalCount's
/// pages: at least this many, and at most as many again as it started with. A total that
/// keeps growing past that is a broken answer, not instances being launched.
pub const PAGE_SLACK: u64 = 10;

type PageFuture<A> = BoxFuture<'static, (u64, Result<<A as Action>::Output, Error>)>;

struct State<A: PagedAction> {
    client: Client,
    region: String,
    template: A,
    limit: u64,
    start: u64,
    next_offset: u64,
    total: Option<u64>,
    /// Pages received so far, and how many may be: set from the first page's TotalCount.
    pages: u64,
    max_pages: u64,
    in_flight: FuturesOrdered<PageFuture<A>>,
    seen: HashSet<String>,
    /// A short page was seen: the listing ends there.
    ended: bool,
    failed: bool,
}

impl<A: PagedAction> State<A> {
    fn fetch(&self, offset: u64) -> PageFuture<A> {
        let client = self.client.clone();
        let region = self.region.clone();
        let mut req = self.template.clone();
        req.set_page(offset, self.limit);
        Box::pin(async move { (offset, client.call(&region, &req).await) })
    }

    fn schedule(&mut self) {
        let Some(total) = self.total else { return };
        while !self.ended
            && self.in_flight.len() < self.client.page_concurrency()
            && self.next_offset < total
        {
            let f = self.fetch(self.next_offset);
            self.in_flight.push_back(f);
            self.next_offset += self.limit;
        }
    }

    async fn next_page(&mut self) -> Option<Result<Page<A::Item>, Error>> {
        if self.failed {
            return None;
        }
        let (offset, result) = if self.total.is_none() {
            let f = self.fetch(self.start);
            self.next_offset = self.start + self.limit;
            f.await
        } else {
            self.schedule();
            self.in_flight.next().await?
        };
        let output = match result {
            Ok(o) => o,
            Err(e) => {
                self.failed = true;
                return Some(Err(e));
            }
        };
        let request_id = A::request_id(&output).map(str::to_owned);
        let (total, items) = A::split(output);
        let len = items.len() as u64;
        if let Err(e) = self.check(offset, total, len, request_id) {
            self.failed = true;
            return Some(Err(e));
        }
        // No TotalCount at all: page until a short page.
        let total = match total {
            Some(t) => t as u64,
            None if len < self.limit => offset + len,
            None => u64::MAX,
        };
        self.total = Some(total);
        if len < self.limit {
            self.ended = true;
        }
        let items: Vec<A::Item> = items
            .into_iter()
            .filter(|i| A::key(i).is_none_or(|k| self.seen.insert(k.to_owned())))
            .collect();
        Some(Ok(Page {
            offset,
            items,
            total,
        }))
    }
}

impl<A: PagedAction> State<A> {
    /// Refuses a page that would keep the listing going on nonsense.
    fn check(
        &mut self,
        offset: u64,
        total: Option<i64>,
        len: u64,
        request_id: Option<String>,
    ) -> Result<(), Error> {
        let broken = |detail: String| Error::Decode {
            action: A::NAME.to_owned(),
            detail,
            request_id: request_id.clone(),
            outcome_unknown: false,
        };
        let total = match total {
            Some(t) if t < 0 || t as u64 > MAX_TOTAL_COUNT => {
                return Err(broken(format!(
                    "TotalCount {t} at Offset {offset} is outside 0..={MAX_TOTAL_COUNT}; listing stopped"
                )));
            }
            Some(t) => Some(t as u64),
            None => None,
        };
        self.pages += 1;
        if self.pages == 1 {
            // Without a TotalCount the item cap bounds the listing instead.
            let expected = total.unwrap_or(MAX_TOTAL_COUNT).div_ceil(self.limit);
            self.max_pages = expected + expected.max(PAGE_SLACK);
        }
        if self.pages > self.max_pages {
            return Err(broken(format!(
                "more than {} pages of {} (TotalCount keeps growing); listing stopped",
                self.max_pages, self.limit
            )));
        }
        if total.is_none() && offset + len > MAX_TOTAL_COUNT {
            return Err(broken(format!(
                "more than {MAX_TOTAL_COUNT} items without a TotalCount; listing stopped"
            )));
        }
        if let Some(t) = total
            && len == 0
            && offset < t
        {
            return Err(broken(format!(
                "empty page at Offset {offset} although TotalCount is {t}; listing stopped"
            )));
        }
        Ok(())
    }
}

impl Client {
    /// Pages of a listing, in order, starting at the request's own Offset (default 0) with
    /// its Limit (default and maximum 100). Ends after the first error.
    pub fn pages<A: PagedAction>(
        &self,
        region: &str,
        req: A,
    ) -> impl Stream<Item = Result<Page<A::Item>, Error>> + Send + 'static
    where
        A::Output: Send,
    {
        let (start, limit) = req.page();
        let limit = limit.unwrap_or(MAX_PAGE);
        let state = State {
            client: self.clone(),
            region: region.to_owned(),
            template: req,
            limit,
            start: start.unwrap_or(0),
            next_offset: 0,
            total: None,
            pages: 0,
            max_pages: 0,
            in_flight: FuturesOrdered::new(),
            seen: HashSet::new(),
            ended: false,
            failed: false,
        };
        let checked = if limit == 0 || limit > MAX_PAGE {
            Err(Error::invalid(
                "Limit",
                format!("must be 1..={MAX_PAGE} for a listing"),
            ))
        } else {
            Ok(())
        };
        stream::unfold((state, checked), |(mut st, checked)| async move {
            if let Err(e) = checked {
                st.failed = true;
                return Some((Err(e), (st, Ok(()))));
            }
            let page = st.next_page().await?;
            Some((page, (st, Ok(()))))
        })
    }

    /// Every item of a listing, as a stream.
    pub fn list<A: PagedAction>(
        &self,
        region: &str,
        req: A,
    ) -> impl Stream<Item = Result<A::Item, Error>> + Send + 'static
    where
        A::Output: Send,
    {
        self.pages(region, req).flat_map(|p| {
            stream::iter(match p {
                Ok(p) => p.items.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(e) => vec![Err(e)],
            })
        })
    }

    /// Every item of a listing, collected.
    pub async fn list_all<A: PagedAction>(
        &self,
        region: &str,
        req: A,
    ) -> Result<Vec<A::Item>, Error>
    where
        A::Output: Send,
    {
        let mut out = Vec::new();
        let mut pages = std::pin::pin!(self.pages(region, req));
        while let Some(p) = pages.next().await {
            out.extend(p?.items);
        }
        Ok(out)
    }
}

macro_rules! paged {
    ($req:ty, $set:ident, $item:ty, $key:ident, int) => {
        paged!(@impl $req, $set, $item, $key,
            |o: u64| o as i64,
            |v: &Option<i64>| v.and_then(|n| u64::try_from(n).ok()));
    };
    ($req:ty, $set:ident, $item:ty, $key:ident, string) => {
        paged!(@impl $req, $set, $item, $key,
            |o: u64| o.to_string(),
            |v: &Option<String>| v.as_deref().and_then(|s| s.parse().ok()));
    };
    (@impl $req:ty, $set:ident, $item:ty, $key:ident, $enc:expr, $dec:expr) => {
        impl PagedAction for $req {
            type Item = $item;
            fn set_page(&mut self, offset: u64, limit: u64) {
                self.offset = Some(($enc)(offset));
                self.limit = Some(($enc)(limit));
            }
            fn page(&self) -> (Option<u64>, Option<u64>) {
                (($dec)(&self.offset), ($dec)(&self.limit))
            }
            fn split(o: Self::Output) -> (Option<i64>, Vec<$item>) {
                (o.total_count, o.$set.unwrap_or_default())
            }
            fn request_id(o: &Self::Output) -> Option<&str> {
                o.request_id.as_deref()
            }
            fn key(item: &$item) -> Option<&str> {
                item.$key.as_deref()
            }
        }
    };
}

paged!(
    cvm::DescribeInstancesRequest,
    instance_set,
    cvm::Instance,
    instance_id,
    int
);
paged!(
    cvm::DescribeInstancesStatusRequest,
    instance_status_set,
    cvm::InstanceStatus,
    instance_id,
    int
);
paged!(
    cvm::DescribeImagesRequest,
    image_set,
    cvm::Image,
    image_id,
    int
);
paged!(
    cvm::DescribeKeyPairsRequest,
    key_pair_set,
    cvm::KeyPair,
    key_id,
    int
);
paged!(vpc::DescribeVpcsRequest, vpc_set, vpc::Vpc, vpc_id, string);
paged!(
    vpc::DescribeSubnetsRequest,
    subnet_set,
    vpc::Subnet,
    subnet_id,
    string
);
paged!(
    vpc::DescribeSecurityGroupsRequest,
    security_group_set,
    vpc::SecurityGroup,
    security_group_id,
    string
);
paged!(
    vpc::DescribeAddressesRequest,
    address_set,
    vpc::Address,
    address_id,
    int
);
