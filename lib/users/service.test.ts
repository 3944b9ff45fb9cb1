import { describe, expect, it } from "vitest";
import { authenticate, registerUser, setUserRole, setUserStatus } from "@/lib/users/service";
import { createUser, TEST_PASSWORD, uniqueEmail } from "@/tests/support/factories";

describe("accounts", () => {
  it("signs up a new applicant and authenticates them", async () => {
    const email = uniqueEmail();
    const user = await registerUser({ input: { name: "New", email: email.toUpperCase(), password: "long enough password" } });
    expect(user).toMatchObject({ email, role: "APPLICANT", status: "ACTIVE" });
    await expect(authenticate({ input: { email, password: "long enough password" } })).resolves.toMatchObject({ id: user.id });
  });

  it("a non-admin cannot change roles", async () => {
    const reviewer = await createUser({ role: "REVIEWER" });
    const target = await createUser();
    await expect(setUserRole({ actor: reviewer, input: { userId: target.id, role: "ADMIN" } })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(setUserStatus({ actor: reviewer, input: { userId: target.id, status: "SUSPENDED" } })).rejects.toMatchObject({ kind: "forbidden" });
  });

  it("a suspended user cannot sign in", async () => {
    const admin = await createUser({ role: "ADMIN" });
    const target = await createUser();
    await setUserStatus({ actor: admin, input: { userId: target.id, status: "SUSPENDED" } });
    await expect(authenticate({ input: { email: target.email, password: TEST_PASSWORD } })).rejects.toMatchObject({ kind: "forbidden" });
  });
});
