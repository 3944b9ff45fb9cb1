import { Badge } from "@/components/ui/badge";
import { describeKeyState, type KeyState } from "@/lib/keys/status";

const tones = { active: "green", grace: "amber", revoked: "red", suspended: "red", expired: "slate" } as const;

export function KeyStatusBadge({ state }: { state: KeyState }) {
  return <Badge tone={tones[state.status]}>{describeKeyState(state)}</Badge>;
}
