CREATE SCHEMA app;
CREATE TABLE app.t (id int PRIMARY KEY, a int, b int, body text);
CREATE TABLE app.log (id int, note text);
CREATE TYPE app.mood AS ENUM ('a', 'b');
