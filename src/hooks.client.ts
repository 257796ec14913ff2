import { defineCustomClientStrategy } from '$lib/paraglide/runtime';
import { isTimeZone, setTimeZoneSource } from '$lib/shared/dates';
import { isLocale } from '$lib/shared/locale';

// The browser shows the page in the language and time zone the server rendered it in (`<html lang>` and
// `data-time-zone`, see src/hooks.server.ts), so nothing changes while it hydrates. A new choice comes from the
// server, with a new page.
defineCustomClientStrategy('custom-chorus', {
	getLocale: () => {
		const lang = document.documentElement.lang;
		return isLocale(lang) ? lang : undefined;
	},
	setLocale: () => {}
});

setTimeZoneSource(() => {
	const zone = document.documentElement.dataset.timeZone;
	return isTimeZone(zone) ? zone : undefined;
});
