//! Broadcast (bulk text) detection, verdicts and line links.
