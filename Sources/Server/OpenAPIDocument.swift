import Replication

/// The OpenAPI 3.0 description of the HTTP API, served at `GET /v1/openapi.json` so clients
/// and fuzzers (schemathesis) can be generated from it.
enum OpenAPIDocument {
    /// The entity kinds a change may name, generated from `EntityKind` so the list cannot drift.
    static let kinds = EntityKind.sorted.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
    static let ops = ChangeOp.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")

    static let json = #"""
        {
          "openapi": "3.0.3",
          "info": {"title": "Fenxiao central node", "version": "1",
                   "description": "Sync protocol of Fenxiao (see sync/PROTOCOL.md). Money is integer fen."},
          "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "parameters": {
              "protocol": {"name": "X-Fenxiao-Protocol", "in": "header", "required": true, "schema": {"type": "integer", "enum": [1]}},
              "schema": {"name": "X-Fenxiao-Schema", "in": "header", "required": true, "schema": {"type": "integer", "minimum": 1}},
              "wallClock": {"name": "X-Fenxiao-Wall-Clock", "in": "header", "required": false,
                            "description": "the store's wall clock (ms since 1970); central records the store's clock offset from it",
                            "schema": {"type": "integer", "format": "int64", "minimum": 0}}
            },
            "headers": {
              "wallClock": {"description": "central's wall clock (ms since 1970), on every answer", "schema": {"type": "integer", "format": "int64"}},
              "maxOffset": {"description": "the maximum clock offset central applies (ms), on every answer", "schema": {"type": "integer", "format": "int64"}}
            },
            "schemas": {
              "Error": {"type": "object", "required": ["error", "code"],
                        "properties": {"error": {"type": "string"}, "code": {"type": "string"}}},
              "Change": {"type": "object", "required": ["origin", "seq", "hlc", "kind", "entity", "op", "fields", "scope"],
                "properties": {
                  "origin": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,32}$"},
                  "seq": {"type": "integer", "format": "int64", "minimum": 1},
                  "hlc": {"type": "integer", "format": "int64"},
                  "kind": {"type": "string", "enum": [\#(kinds)]},
                  "entity": {"type": "string", "minLength": 1},
                  "op": {"type": "string", "enum": [\#(ops)]},
                  "fields": {"type": "object"},
                  "ctx": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
                  "scope": {"type": "string", "pattern": "^(global|node:[A-Za-z0-9_-]{1,32})$"}
                }},
              "PushRequest": {"type": "object", "required": ["changes"],
                              "properties": {"changes": {"type": "array", "items": {"$ref": "#/components/schemas/Change"}}}},
              "PushResponse": {"type": "object", "required": ["acked_seq", "applied", "duplicates", "conflicts_new"],
                               "properties": {"acked_seq": {"type": "integer"}, "applied": {"type": "integer"},
                                              "duplicates": {"type": "integer"}, "conflicts_new": {"type": "integer"}}},
              "PullResponse": {"type": "object", "required": ["changes", "cursor", "more"],
                               "properties": {"changes": {"type": "array", "items": {"$ref": "#/components/schemas/Change"}},
                                              "cursor": {"type": "string"}, "more": {"type": "boolean"}}}
            }
          },
          "paths": {
            "/v1/health": {"get": {"operationId": "health", "responses": {"200": {"description": "the node is up",
              "content": {"application/json": {"schema": {"type": "object"}}}}}}},
            "/v1/nodes": {"get": {"operationId": "nodes", "security": [{"bearer": []}],
              "responses": {"200": {"description": "enrolled stores and their sync progress (admin token)",
                                    "content": {"application/json": {"schema": {"type": "object"}}}},
                            "401": {"description": "missing or unknown token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                            "403": {"description": "not an admin token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
            "/v1/sync/push": {"post": {"operationId": "push", "security": [{"bearer": []}],
              "parameters": [{"$ref": "#/components/parameters/protocol"}, {"$ref": "#/components/parameters/schema"}, {"$ref": "#/components/parameters/wallClock"}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushRequest"}}}},
              "responses": {
                "200": {"description": "applied", "headers": {"X-Fenxiao-Wall-Clock": {"$ref": "#/components/headers/wallClock"}, "X-Fenxiao-Max-Clock-Offset": {"$ref": "#/components/headers/maxOffset"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushResponse"}}}},
                "400": {"description": "malformed body", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "401": {"description": "missing, unknown or revoked token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "403": {"description": "forged origin or unauthorized change; nothing applied", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "409": {"description": "gap in seqs, reused seq, a new change stamped at or below the stability frontier (§8.8), or version mismatch", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "408": {"description": "the request body did not arrive within the body timeout (`serve --body-timeout`); the connection is closed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "413": {"description": "body too large", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
            "/v1/sync/pull": {"get": {"operationId": "pull", "security": [{"bearer": []}],
              "parameters": [{"$ref": "#/components/parameters/protocol"}, {"$ref": "#/components/parameters/schema"}, {"$ref": "#/components/parameters/wallClock"},
                             {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                             {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 5000}},
                             {"name": "stable", "in": "query", "description": "the store's promise: no new change of it stamped at or below this HLC (§8.8)", "schema": {"type": "integer", "minimum": 0}}],
              "responses": {
                "200": {"description": "a page of changes", "headers": {"X-Fenxiao-Wall-Clock": {"$ref": "#/components/headers/wallClock"}, "X-Fenxiao-Max-Clock-Offset": {"$ref": "#/components/headers/maxOffset"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PullResponse"}}}},
                "400": {"description": "bad cursor or limit", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "401": {"description": "missing, unknown or revoked token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "403": {"description": "admin tokens cannot pull", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "409": {"description": "version mismatch", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
            "/v1/sync/own": {"get": {"operationId": "own", "security": [{"bearer": []}],
              "parameters": [{"$ref": "#/components/parameters/protocol"}, {"$ref": "#/components/parameters/schema"}, {"$ref": "#/components/parameters/wallClock"},
                             {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                             {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 5000}}],
              "responses": {
                "200": {"description": "the store's own changes held at central (for recovery)", "headers": {"X-Fenxiao-Wall-Clock": {"$ref": "#/components/headers/wallClock"}, "X-Fenxiao-Max-Clock-Offset": {"$ref": "#/components/headers/maxOffset"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PullResponse"}}}},
                "400": {"description": "bad parameters", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "401": {"description": "missing, unknown or revoked token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "403": {"description": "admin tokens cannot read", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "409": {"description": "version mismatch", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
            "/v1/sync/hello": {"get": {"operationId": "hello", "security": [{"bearer": []}],
              "parameters": [{"$ref": "#/components/parameters/protocol"}, {"$ref": "#/components/parameters/schema"}, {"$ref": "#/components/parameters/wallClock"},
                             {"name": "acked", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                             {"name": "cursor", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                             {"name": "epoch", "in": "query", "schema": {"type": "integer", "minimum": 1}}],
              "responses": {
                "200": {"description": "central's chain, epoch, what it holds of the store, its log end and last restore, its stability frontier, the store's last promise, and the seqs of the store and of central itself that its latest backup holds (durable_seq, central_durable_seq)", "headers": {"X-Fenxiao-Wall-Clock": {"$ref": "#/components/headers/wallClock"}, "X-Fenxiao-Max-Clock-Offset": {"$ref": "#/components/headers/maxOffset"}}, "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": {"description": "bad parameters", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "401": {"description": "missing, unknown or revoked token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "403": {"description": "admin tokens cannot sync", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "409": {"description": "version mismatch", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
            "/v1/sync/snapshot": {"get": {"operationId": "snapshot", "security": [{"bearer": []}],
              "parameters": [{"$ref": "#/components/parameters/protocol"}, {"$ref": "#/components/parameters/schema"}, {"$ref": "#/components/parameters/wallClock"}],
              "responses": {
                "200": {"description": "the calling store's scopes (global and its own) as an SQLite file with the node schema: rows, the changes a compacted store keeps, central's version vector as watermarks, and the manifest (cursor, frontier, clock, state hash, own seq) as JSON in node_meta under snapshot_manifest", "headers": {"X-Fenxiao-Wall-Clock": {"$ref": "#/components/headers/wallClock"}, "X-Fenxiao-Max-Clock-Offset": {"$ref": "#/components/headers/maxOffset"}}, "content": {"application/vnd.sqlite3": {"schema": {"type": "string", "format": "binary"}}}},
                "401": {"description": "missing, unknown or revoked token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "403": {"description": "admin tokens cannot sync", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "409": {"description": "central holds changes of this store (it recovers instead), or version mismatch", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
            "/v1/sync/return": {"post": {"operationId": "giveBack", "security": [{"bearer": []}],
              "parameters": [{"$ref": "#/components/parameters/protocol"}, {"$ref": "#/components/parameters/schema"}, {"$ref": "#/components/parameters/wallClock"},
                             {"name": "own_seq", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 0}}],
              "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PushRequest"}}}},
              "responses": {
                "200": {"description": "central's lost changes taken back after a restore", "headers": {"X-Fenxiao-Wall-Clock": {"$ref": "#/components/headers/wallClock"}, "X-Fenxiao-Max-Clock-Offset": {"$ref": "#/components/headers/maxOffset"}}, "content": {"application/json": {"schema": {"type": "object"}}}},
                "400": {"description": "malformed body or own_seq", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "401": {"description": "missing, unknown or revoked token", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "403": {"description": "not central's change, outside the lost range or out of the store's scope; nothing applied", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "409": {"description": "never restored, reused seq, or version mismatch", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "408": {"description": "the request body did not arrive within the body timeout (`serve --body-timeout`); the connection is closed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "413": {"description": "body too large", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
            "/v1/openapi.json": {"get": {"operationId": "openapi", "responses": {"200": {"description": "this document",
              "content": {"application/json": {"schema": {"type": "object"}}}}}}}
          }
        }
        """#
}
