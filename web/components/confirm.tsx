"use client";
import * as React from "react";
import dynamic from "next/dynamic";
import { Button, type ButtonProps } from "./ui/button";

const ConfirmDialog = dynamic(() => import("./confirm-dialog").then((m) => m.ConfirmDialog), { ssr: false });

type Props = {
  title: string;
  description?: React.ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
  destructive?: boolean;
  children: React.ReactNode;
} & ButtonProps;

/** A button that asks first. The dialog code is fetched on the first click, keeping pages light. */
export function ConfirmButton(props: Props) {
  const [armed, setArmed] = React.useState(false);
  if (armed) return <ConfirmDialog {...props} initialOpen />;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { title, description, confirmLabel, onConfirm, destructive, children, ...buttonProps } = props;
  return (
    <Button {...buttonProps} onClick={() => setArmed(true)}>
      {children}
    </Button>
  );
}
