import type { MyData, MyPlanData } from '../commands/my-data.ts';
import { m } from '../../src/lib/paraglide/messages.js';
import { getLocale } from '../../src/lib/paraglide/runtime.js';
import { agreementOf } from '../../src/lib/shared/agreement.ts';
import { formatDate, formatDateTime } from '../../src/lib/shared/dates.ts';
import { EditSessionGrouper } from '../../src/lib/shared/edit-sessions.ts';
import { CONTEXT_LABELS, describeSessionChanges } from '../../src/lib/shared/history-labels.ts';
import { GOAL_STATUS_LABELS, PLAN_SECTIONS, stepOwnerLabels } from '../../src/lib/shared/plan-sections.ts';
import type { OutlineBlock } from '../../src/lib/shared/plan-text.ts';
import { describeRole } from '../../src/lib/shared/roles.ts';
import { versionName } from '../../src/lib/shared/version-names.ts';

// The readable part of "everything about me": one self-contained HTML file in the reader's language, which any
// browser opens without Chorus. Every word that came from a person is escaped; nothing is loaded from elsewhere.

const escape = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The words of an event in the person's own record; an action without words of its own is named by its code. */
function eventWords(action: string): string {
	const words: Record<string, () => string> = {
		sign_in: m.my_data_event_sign_in,
		'sign_in.failed': m.my_data_event_sign_in_failed,
		'sign_in.throttled': m.my_data_event_sign_in_throttled,
		sign_out: m.my_data_event_sign_out,
		'sign_out.everywhere': m.my_data_event_sign_out_everywhere,
		'sign_out.device': m.my_data_event_sign_out_device,
		'session.ended_idle': m.my_data_event_session_ended_idle,
		'session.confirmed': m.my_data_event_session_confirmed,
		'account.created': m.my_data_event_account_created,
		'account.password_set': m.my_data_event_account_password_set,
		'account.details_changed': m.my_data_event_account_details_changed,
		'account.data_exported': m.my_data_event_account_data_exported,
		'second_factor.enrolled': m.my_data_event_second_factor_enrolled,
		'second_factor.removed': m.my_data_event_second_factor_removed,
		'second_factor.verified': m.my_data_event_second_factor_verified,
		'second_factor.failed': m.my_data_event_second_factor_failed,
		'second_factor.reset': m.my_data_event_second_factor_reset,
		'plan.viewed': m.audit_look_plan_viewed,
		'history.viewed': m.audit_look_history_viewed,
		'plan.exported': m.audit_look_plan_exported,
		'version.created': m.my_data_event_version_created,
		'version.signed_off': m.my_data_event_version_signed_off,
		'access.denied': m.my_data_event_access_denied
	};
	return words[action]?.() ?? action;
}

function personWords(data: MyData, id: string | null): string {
	if (id === null) return m.my_data_nobody_signed_in();
	const person = data.people.get(id);
	if (!person) return m.history_someone();
	return `${escape(person.displayName)} (${escape(describeRole(person.role, person.discipline))})`;
}

const table = (caption: string, head: string[], rows: string[][], empty: string): string =>
	rows.length === 0
		? `<p>${escape(empty)}</p>`
		: `<table><caption>${escape(caption)}</caption><thead><tr>${head.map((cell) => `<th scope="col">${escape(cell)}</th>`).join('')}</tr></thead><tbody>${rows
				.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
				.join('')}</tbody></table>`;

function blocksHtml(blocks: OutlineBlock[]): string {
	return blocks
		.map((block) => {
			const indent = block.depth > 0 ? ` style="margin-left:${block.depth * 1.5}em"` : '';
			if (block.kind === 'heading') return `<h5>${escape(block.text)}</h5>`;
			if (block.kind === 'paragraph') return `<p${indent}>${escape(block.text)}</p>`;
			const box = block.checked === null ? '' : block.checked ? '☑ ' : '☐ ';
			return `<p class="item"${indent}>• ${box}${escape(block.text)}</p>`;
		})
		.join('');
}

function planNowHtml(data: MyData, plan: MyPlanData): string {
	const { record } = plan;
	const owners = stepOwnerLabels('owner', record.plan.serviceUser.displayName);
	return PLAN_SECTIONS.map((section) => {
		const outlined = record.outline.sections.find((candidate) => candidate.id === section.id);
		const goals = (outlined?.goals ?? []).map((goal) => {
			const steps = goal.steps
				.map(
					(step) =>
						`<li>${step.done ? '☑' : '☐'} ${escape(step.what)}${step.who ? ` — ${escape(owners[step.who])}` : ''}${step.byWhen ? ` (${escape(m.my_data_by_when({ date: formatDate(step.byWhen) }))})` : ''}</li>`
				)
				.join('');
			const status = goal.status ? ` — ${escape(GOAL_STATUS_LABELS[goal.status])}` : '';
			const target = goal.targetDate ? ` (${escape(m.my_data_target({ date: formatDate(goal.targetDate) }))})` : '';
			return `<div class="goal"><p><strong>${escape(m.my_data_goal({ text: goal.text }))}</strong>${status}${target}</p>${steps ? `<ul>${steps}</ul>` : ''}</div>`;
		});
		const words = outlined && outlined.blocks.length > 0 ? blocksHtml(outlined.blocks) : `<p class="empty">${escape(m.download_nothing_written())}</p>`;
		return `<h4>${escape(section.title)}</h4>${words}${goals.join('')}`;
	}).join('');
}

function changesHtml(data: MyData, plan: MyPlanData): string {
	const grouper = new EditSessionGrouper(new Map());
	for (const change of plan.changes) grouper.add(change);
	const sessions = grouper.page(Number.MAX_SAFE_INTEGER);
	return table(
		m.my_data_changes_caption(),
		[m.my_data_col_when(), m.my_data_col_who(), m.my_data_col_how(), m.my_data_col_what()],
		sessions.map((session) => [
			escape(`${formatDateTime(session.startedAt)} – ${formatDateTime(session.endedAt)}`),
			personWords(data, session.userId),
			escape(CONTEXT_LABELS[session.context]),
			describeSessionChanges(session)
				.map((line) => escape(`${line.title}: ${line.said}`))
				.join('<br>')
		]),
		m.my_data_no_changes()
	);
}

function versionsHtml(data: MyData, plan: MyPlanData): string {
	if (plan.record.versions.length === 0) return `<p>${escape(m.my_data_no_versions())}</p>`;
	return plan.record.versions
		.map((version) => {
			const agreement = agreementOf(version.signOffs, plan.record.plan.serviceUser.id);
			const answers = version.signOffs
				.map(
					(signOff) =>
						`<li>${escape(formatDateTime(signOff.at))}: ${personWords(data, signOff.userId)} — ${escape(
							signOff.decision === 'agree' ? m.my_data_answer_agree() : m.my_data_answer_disagree({ reason: signOff.reason ?? '' })
						)}</li>`
				)
				.join('');
			const agreed = agreement.status === 'agreed' ? ` — ${escape(m.my_data_version_agreed())}` : '';
			return `<div class="version"><p><strong>${escape(versionName(version))}</strong>${agreed}<br>${escape(
				m.my_data_version_saved({ date: formatDateTime(version.createdAt) })
			)} ${personWords(data, version.createdBy)}</p>${answers ? `<ul>${answers}</ul>` : `<p>${escape(m.my_data_no_answers())}</p>`}</div>`;
		})
		.join('');
}

function looksHtml(data: MyData, plan: MyPlanData): string {
	return table(
		m.my_data_looks_caption(),
		[m.my_data_col_when(), m.my_data_col_who(), m.my_data_col_what()],
		plan.looks.map((look) => [escape(formatDateTime(look.at)), personWords(data, look.person?.id ?? null), escape(eventWords(look.action))]),
		m.my_data_no_looks()
	);
}

function appointmentsHtml(plan: MyPlanData): string {
	return table(
		m.my_data_appointments_caption(),
		[m.my_data_col_when(), m.my_data_col_where(), m.my_data_col_what()],
		plan.appointments.map((appointment) => [
			escape(formatDateTime(appointment.scheduledFor)),
			escape(appointment.place ?? ''),
			escape(
				appointment.cancelledAt
					? m.my_data_appointment_cancelled()
					: appointment.endedAt
						? m.my_data_appointment_held()
						: appointment.startedAt
							? m.my_data_appointment_running()
							: m.my_data_appointment_planned()
			)
		]),
		m.my_data_no_appointments()
	);
}

function eventsHtml(data: MyData): string {
	return table(
		m.my_data_events_caption(),
		[m.my_data_col_when(), m.my_data_col_what(), m.my_data_col_from()],
		[...data.events].reverse().map((event) => [escape(formatDateTime(event.at)), escape(eventWords(event.action)), escape(event.ip ?? '')]),
		m.my_data_no_events()
	);
}

/** The readable document of everything Chorus holds about a person, in the reader's language. */
export function myDataDocument(data: MyData): string {
	const { account } = data;
	const role = describeRole(account.role, account.discipline);
	const plans = data.plans
		.map(
			(plan) =>
				`<section><h2>${escape(m.my_data_plan_heading({ title: plan.record.plan.title }))}</h2>` +
				`<h3>${escape(m.my_data_plan_now_heading())}</h3>${planNowHtml(data, plan)}` +
				`<h3>${escape(m.my_data_changes_heading())}</h3>${changesHtml(data, plan)}` +
				`<h3>${escape(m.my_data_versions_heading())}</h3>${versionsHtml(data, plan)}` +
				`<h3>${escape(m.my_data_looks_heading())}</h3>${looksHtml(data, plan)}` +
				`<h3>${escape(m.my_data_appointments_heading())}</h3>${appointmentsHtml(plan)}</section>`
		)
		.join('');
	return `<!doctype html>
<html lang="${getLocale()}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(m.my_data_title({ name: account.displayName }))}</title>
<style>body{font-family:system-ui,sans-serif;line-height:1.5;max-width:48rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}caption{text-align:left;font-weight:600}.goal,.version{margin:.5rem 0 .75rem}.empty{color:#555}</style>
</head><body>
<h1>${escape(m.my_data_title({ name: account.displayName }))}</h1>
<p>${escape(m.my_data_made({ date: formatDateTime(data.generatedAt) }))}</p>
<p>${escape(m.my_data_files_explained())}</p>
<section><h2>${escape(m.my_data_account_heading())}</h2><dl>
<dt>${escape(m.my_data_account_name())}</dt><dd>${escape(account.displayName)}</dd>
<dt>${escape(m.my_data_account_username())}</dt><dd>${escape(account.username)}</dd>
<dt>${escape(m.my_data_account_role())}</dt><dd>${escape(role)}</dd>
<dt>${escape(m.my_data_account_since())}</dt><dd>${escape(formatDateTime(account.createdAt))}</dd>
</dl>
<h3>${escape(m.my_data_events_heading())}</h3>${eventsHtml(data)}</section>
${data.plans.length === 0 ? `<p>${escape(m.my_data_no_plans())}</p>` : plans}
</body></html>
`;
}
