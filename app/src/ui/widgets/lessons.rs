//! A course's lessons as partners read them: the Markdown already rendered and sanitized on the
//! server, and each video in its host's own player (the only frames the CSP admits).

use crate::api::training::LessonDto;
use crate::ui::widgets::EmptyState;
use leptos::prelude::*;

/// The lessons as partners read them: the sanitized HTML and the host's own player.
#[component]
pub fn Lessons(lessons: Vec<LessonDto>) -> impl IntoView {
    if lessons.is_empty() {
        return view! {
            <EmptyState title="No lessons yet">
                <p>"A lesson is Markdown text, a video from YouTube, Vimeo or Loom, or both."</p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <ol class="lessons">
            {lessons
                .into_iter()
                .map(|lesson| {
                    view! {
                        <li class="lesson">
                            <h4>{lesson.title.clone()}</h4>
                            <div class="prose" inner_html=lesson.html.clone()></div>
                            {lesson
                                .video_embed
                                .clone()
                                .map(|src| {
                                    view! {
                                        <div class="video">
                                            <iframe
                                                src=src
                                                title=format!("Video: {}", lesson.title)
                                                allowfullscreen=true
                                                sandbox="allow-scripts allow-same-origin allow-presentation"
                                                referrerpolicy="strict-origin-when-cross-origin"
                                            ></iframe>
                                        </div>
                                    }
                                })}
                            {(!lesson.attachments.is_empty())
                                .then(|| {
                                    view! {
                                        <div class="attachments">
                                            <h5>"To read with this lesson"</h5>
                                            <ul class="plain">
                                                {lesson
                                                    .attachments
                                                    .iter()
                                                    .map(|a| {
                                                        view! {
                                                            <li>
                                                                <a href=a.href.clone() rel="external">{a.title.clone()}</a>
                                                                <span class="muted">{format!(" · {}", a.file)}</span>
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        </div>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
