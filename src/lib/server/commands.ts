import type { RequestEvent } from '@sveltejs/kit';
import type { CommandContext } from '$commands/actor';
import type { SessionUser } from '$db/session';
import { describedRefusal, wordsFor, type OutcomeCode } from '$lib/shared/outcome-words';
import type { OutcomeParams, Refusal } from '$lib/shared/outcome';
import { db } from './db';

/** The command context of a request by a signed-in person (checked by the caller with requireUser/requireRole). */
export function asPerson(event: Pick<RequestEvent, 'getClientAddress'>, user: SessionUser): CommandContext {
	return { db: db(), actor: { kind: 'person', user, ip: event.getClientAddress() } };
}

/** Where a session is started from: the client's address and browser. */
export function originOfRequest(event: Pick<RequestEvent, 'getClientAddress' | 'request'>): { ip: string; userAgent: string | null } {
	return { ip: event.getClientAddress(), userAgent: event.request.headers.get('user-agent') };
}

/** A form action's answer to a refusal: which form it is about, the code, and its words for the page. */
export function refusalOf<F extends string, C extends OutcomeCode>(form: F, refusal: Refusal<C>): { form: F; code: C; message: string } {
	return { form, ...describedRefusal(refusal) };
}

/** A form action's answer when it worked: the success code and its words. */
export function savedWith<F extends string, C extends OutcomeCode>(form: F, code: C, params?: OutcomeParams): { form: F; saved: true; code: C; message: string } {
	return { form, saved: true, code, message: wordsFor({ code, params }) };
}
