import * as React from "react";
import { cn } from "@/lib/utils";

/** A styled native <select>: keyboard, screen readers and phones handle it best. */
export const NativeSelect = React.forwardRef<HTMLSelectElement, React.SelectHTMLAttributes<HTMLSelectElement>>(({ className, ...props }, ref) => (
  <select
    ref={ref}
    className={cn(
      "flex h-10 w-full rounded-md border border-input bg-background px-3 py-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:ring-offset-background disabled:cursor-not-allowed disabled:opacity-60",
      className,
    )}
    {...props}
  />
));
NativeSelect.displayName = "NativeSelect";
