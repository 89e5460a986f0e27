import * as React from "react";
import { cn } from "@/lib/utils";

export function Progress({ value, label, className, indicatorClassName }: { value: number; label: string; className?: string; indicatorClassName?: string }) {
  const v = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={v} className={cn("h-2 w-full overflow-hidden rounded-full bg-secondary", className)}>
      <div className={cn("h-full bg-primary transition-[width] duration-300", indicatorClassName)} style={{ width: `${v}%` }} />
    </div>
  );
}
