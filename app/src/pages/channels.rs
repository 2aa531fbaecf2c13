use crate::api::directory::list_channels;
use crate::components::notice::{ErrorNotice, Loading};
use crate::i18n::use_texts;
use crate::model::{ChannelKind, ChannelSummary};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ChannelsPage() -> impl IntoView {
    let t = use_texts();
    let channels = OnceResource::new(list_channels());
    view! {
        <Title text=t.channels_title/>
        <section class="page" aria-labelledby="channels-heading">
            <h1 id="channels-heading">{t.channels_title}</h1>
            <p class="page-intro">{t.channels_intro}</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match channels.await {
                        Ok(list) => view! {
                            <ul class="card-list">
                                {list.into_iter().map(|c| view! { <ChannelItem channel=c/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ChannelItem(channel: ChannelSummary) -> impl IntoView {
    let t = use_texts();
    let kind = match channel.kind {
        ChannelKind::Announcement => t.channel_announcement,
        ChannelKind::Public => t.channel_public,
        ChannelKind::Private => t.channel_private,
    };
    view! {
        <li class="card channel" id=channel.slug.clone()>
            <h2><a href=format!("/channels/{}", channel.slug)>"#"{channel.name}</a></h2>
            <p>{channel.description}</p>
            <p class="card-meta">
                <span>{kind}</span>
                {channel.is_default.then(|| view! { " · " <span>{t.default_channel}</span> })}
                " · "<span>{(t.members)(channel.member_count)}</span>
                " · "<span>{(t.posts)(channel.post_count)}</span>
            </p>
        </li>
    }
}
