// Which role reaches which part of the product; navigation and server checks both read this one table.
import type { Role } from "@/lib/users/schema";

export const areaNames = ["applicant", "review", "admin"] as const;
export type AreaName = (typeof areaNames)[number];

export interface Area {
  label: string;
  href: string;
  roles: readonly Role[];
}

export const areas: Record<AreaName, Area> = {
  applicant: { label: "My applications", href: "/applicant", roles: ["APPLICANT"] },
  review: { label: "Review queue", href: "/review", roles: ["REVIEWER", "ADMIN"] },
  admin: { label: "Admin", href: "/admin", roles: ["ADMIN"] },
};

export function canEnter(role: Role, area: AreaName): boolean {
  return areas[area].roles.includes(role);
}

export function areasFor(role: Role): Area[] {
  return areaNames.filter((name) => canEnter(role, name)).map((name) => areas[name]);
}

/** Where a user lands after signing in. */
export function homeFor(role: Role): string {
  return areasFor(role)[0]?.href ?? "/";
}
