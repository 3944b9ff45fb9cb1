import { AreaLoading } from "@/components/ui/area-states";

// Only on list pages: a loading boundary streams the page, so a page that may answer 404 or 403 must not have one.
export default function Loading() {
  return <AreaLoading label="the moderation queue" />;
}
