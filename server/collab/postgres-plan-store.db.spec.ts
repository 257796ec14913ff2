import { endAppointment, findRunningAppointment, scheduleAppointment, startAppointment } from '../../db/appointments.ts';
import { createTestDatabase, testDatabaseKind } from '../../tests/helpers/database.ts';
import { makeCareSetting } from '../../tests/helpers/factories.ts';
import { describePlanStoreContract } from './plan-store.contract.ts';
import { PostgresPlanStore } from './postgres-plan-store.ts';

describePlanStoreContract(`PostgreSQL (${testDatabaseKind})`, async () => {
	const database = await createTestDatabase();
	/** Plan → the professional on its care team, who books and runs its appointments. */
	const professionals = new Map<string, string>();
	return {
		store: new PostgresPlanStore(database.db, database.commitClient),
		async makePlan() {
			const { plan, serviceUser, professional } = await makeCareSetting(database.db);
			professionals.set(plan.id, professional.id);
			return { planId: plan.id, people: [serviceUser.id, professional.id] };
		},
		async setAppointment(planId, running) {
			const professional = professionals.get(planId)!;
			if (running) {
				const booked = await scheduleAppointment(database.db, { planId, scheduledFor: new Date(), place: null, createdBy: professional, attendees: [] });
				await startAppointment(database.db, booked.id, professional);
				return;
			}
			const current = await findRunningAppointment(database.db, planId);
			if (current) await endAppointment(database.db, current.id, professional);
		},
		close: () => database.close()
	};
});
