import { AreaLoading } from "@/components/ui/area-states";

export default function Loading() {
  return <AreaLoading label="the admin area" />;
}
