"""The search results page: events matching a query in either language, with the list's filters,
paginated; a query that cannot be searched gets tips instead, an overlong one a form error."""

from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window, prefetch_related_objects
from django.http import Http404
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.views.generic import TemplateView

from events import fullness
from events.derived import remembered
from events.language import other_language
from events.models import Event
from events.typography import french_typography
from events.views import filter_choices

from .forms import SearchForm
from .query import found_in_language, matching, terms_of
from .text import MIN_WORD_LENGTH, extract, mark

PER_PAGE = 10
MAX_PAGE = 100_000  # beyond, a page number is no page (and no offset the database must read)


class CountedPaginator(Paginator):
    """A paginator told the number of objects (read with the page's own): it asks no count."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self):
        return self.known_count


class SearchView(TemplateView):
    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        events = Event.objects.published(now)
        choices = remembered("event-filter-choices", lambda: filter_choices(events, now))
        years = sorted({*choices["upcoming"]["years"], *choices["past"]["years"]}, reverse=True)
        offered = {
            name: sorted({*choices["upcoming"][name], *choices["past"][name]})
            for name in ("years", "cities", "categories")
        }
        form = SearchForm(self.request.GET or None, years=years, offered=offered)
        context.update(form=form, nav="search", min_length=MIN_WORD_LENGTH)
        if not form.is_bound:
            return context
        if not form.is_valid():
            if set(form.errors) - {"q"}:
                raise Http404("Unknown filter value")
            context["has_error"] = True
            return context
        words = form.words()
        selection = form.selection()
        filter_query = urlencode(selection)
        query = form.cleaned_data["q"]
        # Echoed in the title and headings: in French with French typography, as every French text.
        shown_query = french_typography(query) if translation.get_language() == "fr" else query
        context.update(query=shown_query, filter_query=filter_query)
        if not words:
            if "page" in self.request.GET:
                raise Http404("No results, no pages")
            context["unsearchable"] = bool(form.cleaned_data["q"])
            context["content_query"] = filter_query
            return context
        language = translation.get_language()
        terms = terms_of(words)
        events = form.filter(events)
        when = form.cleaned_data.get("when")
        if when == "upcoming":
            events, dates = events.filter(end__gte=now), ["start", "id"]
        elif when == "past":
            events, dates = events.filter(end__lt=now), ["-start", "-id"]
        else:
            dates = ["-start", "-id"]
        found = matching(events, terms, language).order_by("-relevance", *dates)
        number = self._page_number()
        # The page's events and the number of all the events found in one narrow reading of the
        # matches (ids, rank, date: a count of its own would read them a second time, and the
        # events' long texts are read for the page's ten only: docs/performance.md).
        first = (number - 1) * PER_PAGE
        rows = list(found.annotate(found=Window(Count("pk"))).values_list("pk", "found")[first : first + PER_PAGE])
        if not rows and number > 1:
            raise Http404("No such page")
        paginator = CountedPaginator(found, PER_PAGE, count=rows[0][1] if rows else 0)
        chosen = Event.objects.select_related("category", "venue", "search_document").in_bulk([pk for pk, _n in rows])
        # Each result's status in words, as the lists say it ("fully booked" asked once for all).
        results = fullness.mark([chosen[pk] for pk, _found in rows])
        page = Page(results, number, paginator)
        prefetch_related_objects(results, "cities")
        context.update(
            page_obj=page,
            paginator=paginator,
            results=[self.result(event, terms, language) for event in results],
            content_query="&".join(p for p in (filter_query, f"page={page.number}" if page.number > 1 else "") if p),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context.get("has_error"):
            # A query refused (overlong) is answered, never kept: not in the page cache either.
            add_never_cache_headers(response)
        return response

    def _page_number(self):
        number = self.request.GET.get("page", "1")
        if not number.isdigit() or not 1 <= int(number) <= MAX_PAGE:
            raise Http404("No such page")
        return int(number)

    def result(self, event, terms, language):
        """What the page shows of one event: its title and extract in the language it was found
        in (the visitor's, or the other one when it was found only there)."""
        document = event.search_document
        in_language = found_in_language(document, terms, language)
        shown = language if in_language else other_language(language)
        title = getattr(document, f"title_{shown}") or getattr(document, f"title_{other_language(shown)}")
        text = getattr(document, f"text_{shown}")
        if shown == "fr":
            title, text = french_typography(title), french_typography(text)
        return {
            "event": event,
            "lang": shown,
            "other_language": shown != language,
            "title": mark(title, terms),
            "extract": extract(text, terms) or extract(title, terms),
        }
