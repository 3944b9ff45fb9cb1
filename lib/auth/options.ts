// next-auth (v4) with email + password credentials and JWT sessions; the account is re-read on every request.
import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { serverEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { authenticate } from "@/lib/users/service";

export const authOptions: NextAuthOptions = {
  // A getter, so the secret is read when a request arrives rather than when `next build` loads this module.
  get secret() {
    return serverEnv().NEXTAUTH_SECRET;
  },
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        try {
          const user = await authenticate({ input: credentials });
          return { id: user.id, email: user.email, name: user.name };
        } catch (error) {
          // next-auth passes this message to the sign-in form; only expected, user-facing messages get there.
          if (isAppError(error)) throw new Error(error.message);
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      return { ...session, userId: token.sub };
    },
  },
};
