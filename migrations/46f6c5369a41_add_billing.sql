-- schemagen revision: 46f6c5369a41
-- parents: c444d72ec827
-- message: add billing
-- created: 2026-11-21T20:30:01Z

-- +upgrade
CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Invoicing';
CREATE SEQUENCE billing.invoice_number START WITH 1000;
COMMENT ON SEQUENCE billing.invoice_number IS 'Numbers printed on invoices';
CREATE TABLE billing.invoices (
    number bigint DEFAULT nextval('billing.invoice_number'::regclass) NOT NULL,
    order_id bigint NOT NULL,
    issued_on date DEFAULT CURRENT_DATE NOT NULL,
    total numeric(12,2) NOT NULL,
    CONSTRAINT invoices_pkey PRIMARY KEY (number),
    CONSTRAINT invoices_order_key UNIQUE (order_id),
    CONSTRAINT invoices_order_id_fkey FOREIGN KEY (order_id) REFERENCES public.orders(id) ON DELETE RESTRICT
);

-- +downgrade
-- WARNING: drops table billing.invoices and the data in it
DROP TABLE billing.invoices;
-- WARNING: drops sequence billing.invoice_number and its current value
DROP SEQUENCE billing.invoice_number;
DROP SCHEMA billing;
