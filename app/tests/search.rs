//! Search on both backends: accents, đ, Telex and VNI, small typos; ranking (title
//! above body, accepted answers and verified pages first, newer first); every filter;
//! and the permission rule before ranking and counting — a private channel's words are
//! in no result, snippet, count or suggestion for an outsider or a guest, archived
//! channels stay findable by their members only. The index follows edits and deletes
//! in the same transaction, and a database from before the index is caught up.

use app::domain::knowledge::{self, PageInput};
use app::domain::people::{self, ProfileInput};
use app::domain::search::{search, suggest};
use app::model::knowledge::SpaceKey;
use app::model::search::{HitKind, KindFilter, Period, SearchFilters, SearchPage};
use app::model::{ChannelId, ChannelKind, Role};
use app::policy::Viewer;
use app::store::Store;
use app::testing::{comment_on, post_in, CompanyBuilder, TestDb, NOW};

app::storage_stories!(
    accents_d_and_punctuation_are_folded_alike,
    telex_and_vni_are_offered_and_searched_when_nothing_else_matches,
    small_typos_in_longer_words_still_match,
    ranking_puts_titles_answers_and_verified_pages_first,
    every_filter_narrows_and_every_tab_is_counted,
    private_words_reach_no_result_count_snippet_or_suggestion,
    archived_channels_stay_findable_by_their_members_only,
    the_index_follows_edits_deletes_and_profiles,
    a_database_from_before_the_index_is_caught_up,
    ranking_is_bounded_but_never_loses_pages_or_a_narrowed_search,
    an_old_match_is_found_behind_many_newer_entries,
);

const DAY: i64 = 24 * 60 * 60 * 1000;

struct Company {
    owner: Viewer,
    /// Sales, in `secret` and `partners`.
    an: Viewer,
    /// Sales, in no private channel.
    binh: Viewer,
    /// A guest in `partners` only.
    guest: Viewer,
    secret: ChannelId,
    partners: ChannelId,
}

/// `general` (everyone), `secret` (private: owner and An), `partners` (public: An and
/// the guest).
async fn company(store: &Store) -> Company {
    let (company, owner) = CompanyBuilder::set_up(store, NOW).await;
    let sales = company.department("Sales").await;
    let an = company
        .person("an.nguyen@saomai.vn", "Nguyễn Văn An")
        .department(sales)
        .await;
    let binh = company
        .person("binh@saomai.vn", "Trần Bình")
        .department(sales)
        .job_title("Kế toán trưởng")
        .await;
    let guest = company
        .person("khach@agency.vn", "Khách Hàng")
        .role(Role::Guest)
        .await;
    let secret = company
        .channel("secret", ChannelKind::Private)
        .name("Bí mật")
        .by(&owner)
        .admin(&owner)
        .member(&an)
        .await;
    let partners = company
        .channel("partners", ChannelKind::Public)
        .by(&owner)
        .member(&an)
        .member(&guest)
        .await;
    Company {
        owner,
        an,
        binh,
        guest,
        secret,
        partners,
    }
}

async fn find(store: &Store, who: &Viewer, words: &str) -> SearchPage {
    find_with(store, who, words, SearchFilters::default()).await
}

async fn find_with(store: &Store, who: &Viewer, words: &str, filters: SearchFilters) -> SearchPage {
    search(store, who, words.into(), filters, 0, NOW + 1_000)
        .await
        .unwrap()
}

/// Each result as "kind: title", in order.
fn titles(page: &SearchPage) -> Vec<String> {
    page.hits
        .iter()
        .map(|h| format!("{:?}: {}", h.kind, h.title))
        .collect()
}

fn count(page: &SearchPage, kind: KindFilter) -> i64 {
    page.counts
        .iter()
        .find(|c| c.kind == kind)
        .map_or(-1, |c| c.count)
}

/// Everything a page shows as text: titles, snippets, channel and person names.
fn shown_text(page: &SearchPage) -> String {
    let mut text = String::new();
    for hit in &page.hits {
        text.push_str(&hit.title);
        for f in &hit.snippet {
            text.push_str(&f.text);
        }
        text.push_str(hit.channel.as_deref().unwrap_or_default());
        text.push_str(
            &hit.person
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
        );
    }
    text
}

async fn accents_d_and_punctuation_are_folded_alike(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    post_in(
        s,
        &c.an,
        "general",
        "update",
        "Đăng ký bảo hiểm xã hội trước ngày 15",
        NOW,
    )
    .await
    .unwrap();
    post_in(
        s,
        &c.an,
        "general",
        "update",
        "Lịch đi dã ngoại: Đà-Lạt, tháng 6",
        NOW,
    )
    .await
    .unwrap();
    for typed in [
        "bao hiem xa hoi",
        "bảo hiểm xã hội",
        "BẢO HIỂM",
        "dang ky bao hiem",
    ] {
        let page = find(s, &c.binh, typed).await;
        assert_eq!(
            titles(&page),
            ["Post: Đăng ký bảo hiểm xã hội trước ngày 15"],
            "{typed}"
        );
        assert!(page.did_you_mean.is_none(), "{typed} is not Telex");
    }
    // đ is a letter of its own that folds to d, and punctuation splits words the same
    // when indexing and when searching.
    assert_eq!(find(s, &c.binh, "da lat").await.hits.len(), 1);
    assert_eq!(find(s, &c.binh, "đà lạt").await.hits.len(), 1);
    assert_eq!(find(s, &c.binh, "Đà-Lạt").await.hits.len(), 1);
    // The snippet marks the words as written, accents and all.
    let page = find(s, &c.binh, "bao hiem").await;
    let marked: Vec<&str> = page.hits[0]
        .snippet
        .iter()
        .filter(|f| f.marked)
        .map(|f| f.text.as_str())
        .collect();
    assert_eq!(marked, ["bảo", "hiểm"]);
    // Every word must match: one missing word finds nothing.
    let none = find(s, &c.binh, "bao hiem xe may").await;
    assert!(none.hits.is_empty());
    assert_eq!(count(&none, KindFilter::All), 0);
}

async fn telex_and_vni_are_offered_and_searched_when_nothing_else_matches(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    post_in(
        s,
        &c.an,
        "general",
        "update",
        "Hạn nộp bảo hiểm xã hội là thứ Sáu",
        NOW,
    )
    .await
    .unwrap();
    let page = find(s, &c.binh, "baor hieemr xax hooij").await;
    assert_eq!(page.did_you_mean.as_deref(), Some("bảo hiểm xã hội"));
    assert!(
        page.showing_instead,
        "the Telex words themselves find nothing"
    );
    assert_eq!(titles(&page), ["Post: Hạn nộp bảo hiểm xã hội là thứ Sáu"]);
    let vni = find(s, &c.binh, "bao3 hiem63").await;
    assert_eq!(vni.did_you_mean.as_deref(), Some("bảo hiểm"));
    assert_eq!(vni.hits.len(), 1);
    // Plain English is left alone.
    let english = find(s, &c.binh, "meeting notes").await;
    assert_eq!(english.did_you_mean, None);
    assert!(!english.showing_instead);
}

async fn small_typos_in_longer_words_still_match(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    post_in(
        s,
        &c.an,
        "general",
        "update",
        "The supplier contract is signed",
        NOW,
    )
    .await
    .unwrap();
    post_in(
        s,
        &c.an,
        "general",
        "update",
        "Quarterly budget review on Monday",
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(
        titles(&find(s, &c.binh, "contrcat").await),
        ["Post: The supplier contract is signed"],
        "a swapped pair"
    );
    assert_eq!(
        titles(&find(s, &c.binh, "quartely budget").await),
        ["Post: Quarterly budget review on Monday"],
        "a missing letter"
    );
    assert!(
        find(s, &c.binh, "cat").await.hits.is_empty(),
        "a short word is not guessed"
    );
}

async fn ranking_puts_titles_answers_and_verified_pages_first(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    // Written in this order, oldest first.
    let old_post = post_in(
        s,
        &c.an,
        "general",
        "update",
        "Một ghi chú cũ về nghỉ phép năm và lịch trực",
        NOW - 400 * DAY,
    )
    .await
    .unwrap();
    let asked = post_in(
        s,
        &c.binh,
        "general",
        "question",
        "Xin nghỉ phép năm thế nào?",
        NOW - 10 * DAY,
    )
    .await
    .unwrap();
    let answer = comment_on(
        s,
        &c.owner,
        asked,
        None,
        "Nghỉ phép năm: gửi đơn trên cổng HR.",
        NOW - 9 * DAY,
    )
    .await
    .unwrap();
    app::domain::questions::accept(s, &c.binh, asked, answer, true, NOW - 8 * DAY)
        .await
        .unwrap();
    let page = knowledge::create(
        s,
        &c.owner,
        SpaceKey::Company,
        &PageInput {
            title: "Nghỉ phép năm",
            body: "Mỗi người có 12 ngày nghỉ phép năm.",
            parent: None,
            review_days: 90,
            files: &[],
        },
        NOW - 20 * DAY,
    )
    .await
    .unwrap();
    let found = find(s, &c.binh, "nghi phep nam").await;
    let kinds: Vec<HitKind> = found.hits.iter().map(|h| h.kind).collect();
    // The verified page first, the answered question and its accepted answer next (in
    // the order their relevance gives), the year-old post last.
    assert_eq!(kinds.len(), 4, "{:?}", titles(&found));
    assert_eq!(kinds[0], HitKind::Page);
    assert!(kinds[1..3].contains(&HitKind::Question) && kinds[1..3].contains(&HitKind::Answer));
    assert_eq!(kinds[3], HitKind::Post);
    assert!(found.hits[0].verified);
    assert_eq!(found.hits[0].href, format!("/pages/{page}"));
    assert!(found.hits[1].answered && found.hits[2].answered);
    let answer_hit = found
        .hits
        .iter()
        .find(|h| h.kind == HitKind::Answer)
        .unwrap();
    assert_eq!(answer_hit.href, format!("/posts/{asked}#comment-{answer}"));
    assert_eq!(found.hits[3].href, format!("/posts/{old_post}"));
    // A page past its review interval loses its lead over a fresher answered question.
    let later = search(
        s,
        &c.binh,
        "nghi phep nam".into(),
        SearchFilters::default(),
        0,
        NOW + 200 * DAY,
    )
    .await
    .unwrap();
    assert!(!later.hits.iter().any(|h| h.verified));
}

async fn every_filter_narrows_and_every_tab_is_counted(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    let word = "ngansach";
    post_in(
        s,
        &c.an,
        "general",
        "update",
        &format!("{word} quý một"),
        NOW - 60 * DAY,
    )
    .await
    .unwrap();
    let q = post_in(
        s,
        &c.binh,
        "general",
        "question",
        &format!("Ai duyệt {word}?"),
        NOW,
    )
    .await
    .unwrap();
    comment_on(s, &c.an, q, None, &format!("{word}: chị Lan duyệt"), NOW)
        .await
        .unwrap();
    post_in(
        s,
        &c.an,
        "partners",
        "update",
        &format!("{word} cho đối tác"),
        NOW,
    )
    .await
    .unwrap();
    knowledge::create(
        s,
        &c.owner,
        SpaceKey::Company,
        &PageInput {
            title: "Quy trình",
            body: &format!("Lập {word} hằng năm."),
            parent: None,
            review_days: 90,
            files: &[],
        },
        NOW,
    )
    .await
    .unwrap();
    let all = find(s, &c.binh, word).await;
    let counts: Vec<(KindFilter, i64)> = all.counts.iter().map(|k| (k.kind, k.count)).collect();
    assert_eq!(
        counts,
        [
            (KindFilter::All, 5),
            (KindFilter::Posts, 2),
            (KindFilter::Questions, 1),
            (KindFilter::Comments, 1),
            (KindFilter::Pages, 1),
            (KindFilter::People, 0),
            (KindFilter::Channels, 0),
        ]
    );
    let by = |kind| SearchFilters {
        kind,
        ..SearchFilters::default()
    };
    for (kind, expected) in [
        (KindFilter::Posts, HitKind::Post),
        (KindFilter::Questions, HitKind::Question),
        (KindFilter::Comments, HitKind::Answer),
        (KindFilter::Pages, HitKind::Page),
    ] {
        let page = find_with(s, &c.binh, word, by(kind)).await;
        assert!(!page.hits.is_empty());
        assert!(page.hits.iter().all(|h| h.kind == expected), "{kind:?}");
        assert_eq!(
            page.counts, all.counts,
            "tabs count every kind, whichever is open"
        );
    }
    let in_partners = find_with(
        s,
        &c.binh,
        word,
        SearchFilters {
            channel: Some(c.partners),
            ..SearchFilters::default()
        },
    )
    .await;
    assert_eq!(titles(&in_partners), [format!("Post: {word} cho đối tác")]);
    let from_binh = find_with(
        s,
        &c.an,
        word,
        SearchFilters {
            person: Some(c.binh.user_id),
            ..SearchFilters::default()
        },
    )
    .await;
    assert_eq!(titles(&from_binh), [format!("Question: Ai duyệt {word}?")]);
    assert_eq!(
        from_binh.person.as_ref().map(|p| p.name.as_str()),
        Some("Trần Bình")
    );
    let this_week = find_with(
        s,
        &c.binh,
        word,
        SearchFilters {
            period: Period::Week,
            ..SearchFilters::default()
        },
    )
    .await;
    assert_eq!(
        count(&this_week, KindFilter::All),
        4,
        "the 60-day-old post is out"
    );
    // People and channels are found by their words too.
    assert_eq!(
        titles(&find(s, &c.an, "ke toan").await),
        ["Person: Trần Bình"]
    );
    assert_eq!(
        titles(&find(s, &c.an, "partners").await),
        ["Channel: partners"]
    );
}

async fn private_words_reach_no_result_count_snippet_or_suggestion(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    let secret_word = "mathuhoach";
    let q = post_in(
        s,
        &c.an,
        "secret",
        "question",
        &format!("Kế hoạch {secret_word} Tết"),
        NOW,
    )
    .await
    .unwrap();
    comment_on(
        s,
        &c.owner,
        q,
        None,
        &format!("{secret_word} đã duyệt"),
        NOW,
    )
    .await
    .unwrap();
    knowledge::create(
        s,
        &c.owner,
        SpaceKey::Channel(c.secret),
        &PageInput {
            title: "Sổ tay bí mật",
            body: &format!("{secret_word} chi tiết"),
            parent: None,
            review_days: 90,
            files: &[],
        },
        NOW,
    )
    .await
    .unwrap();
    let insider = find(s, &c.an, secret_word).await;
    assert_eq!(count(&insider, KindFilter::All), 3);
    assert!(shown_text(&insider).contains(secret_word));
    for outsider in [&c.binh, &c.guest] {
        let page = find(s, outsider, secret_word).await;
        assert!(page.hits.is_empty());
        assert!(
            page.counts.iter().all(|k| k.count == 0),
            "{:?}",
            page.counts
        );
        assert!(!shown_text(&page).contains(secret_word));
        assert!(page.did_you_mean.is_none());
        // Narrowing to the channel by its id shows nothing either.
        let narrowed = find_with(
            s,
            outsider,
            secret_word,
            SearchFilters {
                channel: Some(c.secret),
                ..SearchFilters::default()
            },
        )
        .await;
        assert!(narrowed.hits.is_empty());
        assert!(!narrowed.channels.iter().any(|ch| ch.id == c.secret));
        // The channel's name is not suggested, nor found.
        let suggested = suggest(s, outsider, "bi m").await.unwrap();
        assert!(suggested.channels.is_empty(), "{suggested:?}");
        assert!(find(s, outsider, "bi mat").await.hits.is_empty());
    }
    assert_eq!(
        suggest(s, &c.an, "bi m").await.unwrap().channels[0].name,
        "Bí mật"
    );
    // A guest finds only the people who share a channel with them; a member anyone.
    let guest_people = suggest(s, &c.guest, "tran").await.unwrap();
    assert!(guest_people.people.is_empty(), "{guest_people:?}");
    assert_eq!(
        suggest(s, &c.guest, "nguyen").await.unwrap().people[0].name,
        "Nguyễn Văn An",
        "they share `partners`"
    );
    assert_eq!(
        suggest(s, &c.an, "tran b").await.unwrap().people[0].name,
        "Trần Bình"
    );
    // Company pages are for members: a guest finds none.
    knowledge::create(
        s,
        &c.owner,
        SpaceKey::Company,
        &PageInput {
            title: "Nội quy",
            body: "noiquy cho nhân viên",
            parent: None,
            review_days: 90,
            files: &[],
        },
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(find(s, &c.binh, "noiquy").await.hits.len(), 1);
    assert!(find(s, &c.guest, "noiquy").await.hits.is_empty());
}

async fn archived_channels_stay_findable_by_their_members_only(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    post_in(s, &c.an, "partners", "update", "Biên bản doitac quý", NOW)
        .await
        .unwrap();
    let mut tx = s.begin().await.unwrap();
    tx.set_channel_archived(c.partners, Some(NOW + 1))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(find(s, &c.an, "doitac").await.hits.len(), 1);
    assert_eq!(find(s, &c.an, "partners").await.hits.len(), 1);
    assert!(find(s, &c.binh, "doitac").await.hits.is_empty());
    assert!(find(s, &c.binh, "partners").await.hits.is_empty());
    // Bounded to two candidates, Bình's are the archived post (taken from the index,
    // dropped by the rule) and an older one he may read: one result, and "at least"
    // one, since the index had as many as were asked for.
    post_in(
        s,
        &c.an,
        "general",
        "update",
        "doitac năm ngoái",
        NOW - 1_000,
    )
    .await
    .unwrap();
    let bounded = s.with_search_candidates(2);
    let page = find(&bounded, &c.binh, "doitac").await;
    assert_eq!(count(&page, KindFilter::Posts), 1, "{:?}", titles(&page));
    let posts = page
        .counts
        .iter()
        .find(|k| k.kind == KindFilter::Posts)
        .unwrap();
    assert!(posts.at_least);
}

async fn the_index_follows_edits_deletes_and_profiles(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    let id = post_in(
        s,
        &c.an,
        "general",
        "update",
        "Họp giaoban sáng thứ Hai",
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(find(s, &c.binh, "giaoban").await.hits.len(), 1);
    app::domain::posts::edit_post(s, &c.an, id, "Họp tongket sáng thứ Hai", NOW + 1)
        .await
        .unwrap();
    assert!(
        find(s, &c.binh, "giaoban").await.hits.is_empty(),
        "the old words are gone"
    );
    assert_eq!(find(s, &c.binh, "tongket").await.hits.len(), 1);
    app::domain::posts::delete_post(s, &c.an, id, NOW + 2)
        .await
        .unwrap();
    assert!(find(s, &c.binh, "tongket").await.hits.is_empty());

    people::save(
        s,
        &c.binh,
        c.binh.user_id,
        &ProfileInput {
            name: "Trần Bình".into(),
            job_title: "Kế toán trưởng".into(),
            expertise: "Hoá đơn điện tử".into(),
            responsibilities: "Quyết toán thuế".into(),
            ..ProfileInput::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        titles(&find(s, &c.an, "hoa don dien tu").await),
        ["Person: Trần Bình"]
    );
    assert_eq!(
        titles(&find(s, &c.an, "quyet toan").await),
        ["Person: Trần Bình"]
    );
    let mut tx = s.begin().await.unwrap();
    tx.set_active(c.binh.user_id, false, NOW + 3).await.unwrap();
    tx.commit().await.unwrap();
    assert!(
        find(s, &c.an, "quyet toan").await.hits.is_empty(),
        "deactivated"
    );
    // SQLite: the full-text index still agrees with the entries after all of that
    // (FTS5's own check reads every entry back through the view that makes its scope).
    if db.url.starts_with("sqlite") {
        use sqlx::{Connection, Executor};
        let mut raw = sqlx::AnyConnection::connect(&db.url).await.unwrap();
        raw.execute("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')")
            .await
            .unwrap();
        raw.close().await.unwrap();
    }
}

async fn a_database_from_before_the_index_is_caught_up(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store;
    post_in(s, &c.an, "general", "update", "Quy định chamcong mới", NOW)
        .await
        .unwrap();
    // As if written before the index existed: the entries are gone.
    {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(s.url()).await.unwrap();
        sqlx::query("DELETE FROM search_entries")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }
    assert!(find(s, &c.binh, "chamcong").await.hits.is_empty());
    let written = s.index_backlog(2).await.unwrap();
    assert!(written >= 5, "channels, people and the post: {written}");
    assert_eq!(find(s, &c.binh, "chamcong").await.hits.len(), 1);
    assert_eq!(s.index_backlog(2).await.unwrap(), 0, "nothing twice");
    // Rows loaded in bulk after the newest entry (as the benchmark's generator does):
    // the tail is indexed.
    let tail = post_in(
        s,
        &c.an,
        "general",
        "update",
        "Lịch trucnhat tuần sau",
        NOW + 1,
    )
    .await
    .unwrap();
    {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(s.url()).await.unwrap();
        sqlx::query("DELETE FROM search_entries WHERE kind = 'post' AND ref_id = $1")
            .bind(tail.0)
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }
    assert!(find(s, &c.binh, "trucnhat").await.hits.is_empty());
    assert_eq!(s.index_backlog(2).await.unwrap(), 1);
    assert_eq!(find(s, &c.binh, "trucnhat").await.hits.len(), 1);
    // Posts and comments are indexed in the order they were written, not kind after
    // kind: a search's candidates are the newest entries by number.
    let later = post_in(s, &c.an, "general", "update", "Họp giao ban", NOW + 10)
        .await
        .unwrap();
    // More comments than a batch (two here) between two posts.
    for (i, reply) in ["Đã nhận lịch", "Em trực thứ hai", "Em trực thứ ba"]
        .iter()
        .enumerate()
    {
        comment_on(s, &c.binh, tail, None, reply, NOW + 5 + i as i64)
            .await
            .unwrap();
    }
    comment_on(s, &c.binh, later, None, "Em sẽ đến", NOW + 20)
        .await
        .unwrap();
    let written_at = || async {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(s.url()).await.unwrap();
        let at: Vec<i64> = sqlx::query_scalar(
            "SELECT created_at FROM search_entries WHERE kind IN ('post', 'comment') ORDER BY id",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
        at
    };
    {
        use sqlx::Connection;
        let mut conn = sqlx::AnyConnection::connect(s.url()).await.unwrap();
        sqlx::query("DELETE FROM search_entries")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }
    assert!(s.index_backlog(2).await.unwrap() >= 7);
    let at = written_at().await;
    assert_eq!(at.len(), 7, "three posts and four comments: {at:?}");
    assert!(at.windows(2).all(|w| w[0] <= w[1]), "in time order: {at:?}");
}

async fn ranking_is_bounded_but_never_loses_pages_or_a_narrowed_search(db: &TestDb) {
    let c = company(&db.store).await;
    // Three candidates instead of a thousand, so that five posts reach the bound.
    let s = &db.store.with_search_candidates(3);
    knowledge::create(
        s,
        &c.owner,
        SpaceKey::Company,
        &PageInput {
            title: "Quy định thuongxuyen",
            body: "Trang cũ nhưng vẫn đúng.",
            parent: None,
            review_days: 90,
            files: &[],
        },
        NOW - 30 * DAY,
    )
    .await
    .unwrap();
    let mut posts = Vec::new();
    for i in 0..5 {
        let channel = if i == 0 { "partners" } else { "general" };
        posts.push(
            post_in(
                s,
                &c.an,
                channel,
                "update",
                &format!("thuongxuyen số {i}"),
                NOW - (10 - i) * DAY,
            )
            .await
            .unwrap(),
        );
    }
    let page = find(s, &c.an, "thuongxuyen").await;
    assert_eq!(
        count(&page, KindFilter::Pages),
        1,
        "an old page is never left out"
    );
    assert_eq!(count(&page, KindFilter::Posts), 3, "the newest three posts");
    // The bound was reached: posts (and all) may hold more, the page count is whole.
    let at_least = |page: &SearchPage, kind: KindFilter| {
        page.counts
            .iter()
            .find(|c| c.kind == kind)
            .unwrap()
            .at_least
    };
    assert!(at_least(&page, KindFilter::Posts) && at_least(&page, KindFilter::All));
    assert!(!at_least(&page, KindFilter::Pages));
    let hrefs: Vec<&str> = page.hits.iter().map(|h| h.href.as_str()).collect();
    for newest in &posts[2..] {
        assert!(
            hrefs.contains(&format!("/posts/{newest}").as_str()),
            "{hrefs:?}"
        );
    }
    // Narrowed to a channel, the index is asked for that channel's matches alone: the
    // oldest post, in `partners`, behind the four newer ones elsewhere.
    let narrowed = find_with(
        s,
        &c.an,
        "thuongxuyen",
        SearchFilters {
            channel: Some(c.partners),
            ..SearchFilters::default()
        },
    )
    .await;
    assert_eq!(narrowed.hits.len(), 1);
    assert_eq!(narrowed.hits[0].href, format!("/posts/{}", posts[0]));
    // The bound is on the reader's own matches, found in the index among the channels
    // they may read: a guest in `partners` finds its one post behind the company's
    // four newer ones (the newest three of the company are none of theirs) ...
    let hrefs =
        |page: &SearchPage| -> Vec<String> { page.hits.iter().map(|h| h.href.clone()).collect() };
    let guest = find(s, &c.guest, "thuongxuyen").await;
    assert_eq!(count(&guest, KindFilter::Posts), 1, "{:?}", titles(&guest));
    assert!(!at_least(&guest, KindFilter::Posts), "one of one");
    assert_eq!(hrefs(&guest), vec![format!("/posts/{}", posts[0])]);
    // ... and three newer posts in a private channel leave Bình, who is not in it,
    // with the newest three of his, while An, who is, gets those three.
    let mut secret = Vec::new();
    for i in 0..3 {
        secret.push(
            post_in(
                s,
                &c.owner,
                "secret",
                "update",
                &format!("thuongxuyen kín {i}"),
                NOW - i * DAY,
            )
            .await
            .unwrap(),
        );
    }
    let binh = find(s, &c.binh, "thuongxuyen").await;
    assert_eq!(count(&binh, KindFilter::Posts), 3);
    let seen = hrefs(&binh);
    for newest in &posts[2..] {
        assert!(seen.contains(&format!("/posts/{newest}")), "{seen:?}");
    }
    let an = find(s, &c.an, "thuongxuyen").await;
    let seen = hrefs(&an);
    for newest in &secret {
        assert!(seen.contains(&format!("/posts/{newest}")), "{seen:?}");
    }
    assert_eq!(count(&an, KindFilter::Posts), 3);
}

/// PostgreSQL looks among the newest entries first (a window of 25 entries per
/// candidate): a match older than the window is still found, and what the window
/// holds is what a search of every entry takes.
async fn an_old_match_is_found_behind_many_newer_entries(db: &TestDb) {
    let c = company(&db.store).await;
    let s = &db.store.with_search_candidates(2);
    // Three matches, two candidates: the middle one is outside the first window (80
    // ids) but inside the one the first window's single match says the bound needs
    // (200), the oldest outside both; whichever window fills the bound, the two newest
    // are ranked and the oldest is left to "at least".
    let oldest = post_in(
        s,
        &c.an,
        "general",
        "update",
        "Hồ sơ hiemhoi gốc",
        NOW - 99 * DAY,
    )
    .await
    .unwrap();
    for i in 0..120 {
        post_in(
            s,
            &c.binh,
            "general",
            "update",
            &format!("lichtruc {i}"),
            NOW - 98 * DAY,
        )
        .await
        .unwrap();
    }
    let old = post_in(
        s,
        &c.an,
        "general",
        "update",
        "Hồ sơ hiemhoi cũ",
        NOW - 90 * DAY,
    )
    .await
    .unwrap();
    let mut newer = Vec::new();
    for i in 0..100 {
        newer.push(
            post_in(
                s,
                &c.binh,
                "general",
                "update",
                &format!("bantin tuần {i}"),
                NOW - 60 * DAY + i * DAY / 2,
            )
            .await
            .unwrap(),
        );
    }
    let newest = post_in(s, &c.an, "general", "update", "Hồ sơ hiemhoi mới", NOW)
        .await
        .unwrap();
    let hrefs =
        |page: &SearchPage| -> Vec<String> { page.hits.iter().map(|h| h.href.clone()).collect() };
    let page = find(s, &c.binh, "hiemhoi").await;
    assert_eq!(count(&page, KindFilter::Posts), 2, "{:?}", hrefs(&page));
    assert_eq!(
        hrefs(&page),
        vec![format!("/posts/{newest}"), format!("/posts/{old}")]
    );
    assert!(!hrefs(&page).contains(&format!("/posts/{oldest}")));
    // Narrowed to its author, every match is ranked: the oldest too.
    let by_an = find_with(
        s,
        &c.binh,
        "hiemhoi",
        SearchFilters {
            person: Some(c.an.user_id),
            ..SearchFilters::default()
        },
    )
    .await;
    assert_eq!(
        hrefs(&by_an),
        vec![
            format!("/posts/{newest}"),
            format!("/posts/{old}"),
            format!("/posts/{oldest}")
        ]
    );
    let page = find(s, &c.binh, "bantin").await;
    assert_eq!(
        hrefs(&page),
        vec![
            format!("/posts/{}", newer[99]),
            format!("/posts/{}", newer[98])
        ]
    );
    assert!(
        page.counts
            .iter()
            .any(|k| k.kind == KindFilter::Posts && k.count == 2 && k.at_least),
        "{:?}",
        page.counts
    );
}
