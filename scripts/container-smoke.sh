# The API smoke test of scripts/container-test: the five curl examples of
# the docs page (shared/seed/customers.txt) exactly as printed there but for
# the host, the token and the generated id, with their statuses and bodies
# checked; then what a deleted customer and a missing token get, and that
# /healthz, /openapi.json and /metrics answer. Source it
# (needs say/die, curl, jq); smoke_test BASE_URL TOKEN.

# expect STATUS JQ_FILTER [curl args...]: runs curl -sS with the args, fails
# unless the status is STATUS and JQ_FILTER is true of the body (".", when
# no body is expected, is checked to be empty instead). The body is left
# in $body.
expect() {
    local want="$1" filter="$2" got
    shift 2
    got="$(curl -sS -o "$work/body" -w '%{http_code}' "$@")" || die "curl $*"
    body="$(cat "$work/body")"
    [ "$got" = "$want" ] || die "status $got, expected $want: curl $* -> $body"
    if [ "$filter" = . ]; then
        [ -z "$body" ] || die "expected no body: curl $* -> $body"
    else
        jq -e "$filter" <<<"$body" >/dev/null || die "body fails [$filter]: curl $* -> $body"
    fi
}

smoke_test() {
    local base="$1" token="$2" id

    # Create a customer
    expect 201 '.username == "FrankMcCallister" and .phone_number == "1-800-759-3000"
        and .avatar_url == "https://assets.protocol.chat/avatars/frank.jpg"
        and .display_name == null and (.id | test("^[0-9A-Za-z]{16}$"))
        and (.conversation_id | test("^[0-9A-Za-z]{16}$")) and (.created_at | type == "number")' \
        "$base/v1/customers" \
        -H "Authorization: Bearer $token" \
        -d username="FrankMcCallister" \
        -d phone_number="1-800-759-3000" \
        -d avatar_url="https://assets.protocol.chat/avatars/frank.jpg"
    id="$(jq -r .id <<<"$body")"

    # List all customers
    expect 200 ".has_more == false and (.data | length) == 1 and .data[0].id == \"$id\"" \
        -G "$base/v1/customers" \
        -H "Authorization: Bearer $token" \
        -d active=true \
        -d limit=10

    # Retrieve a customer
    expect 200 ".id == \"$id\" and .username == \"FrankMcCallister\"" \
        "$base/v1/customers/$id" \
        -H "Authorization: Bearer $token"

    # Update a customer
    expect 200 ".id == \"$id\" and .display_name == \"UncleFrank\"
        and .username == \"FrankMcCallister\"" \
        -X PATCH "$base/v1/customers/$id" \
        -H "Authorization: Bearer $token" \
        -d display_name="UncleFrank"

    # Delete a customer
    expect 204 . \
        -X DELETE "$base/v1/customers/$id" \
        -H "Authorization: Bearer $token"

    # Gone, and no token is no access: both in the contract's error shape.
    expect 404 '.type == "invalid_request" and (.message | length) > 0' \
        "$base/v1/customers/$id" -H "Authorization: Bearer $token"
    expect 401 '.type == "invalid_request" and (.message | length) > 0' \
        "$base/v1/customers"
    expect 200 '.status == "ok"' "$base/healthz"

    # What operators scrape and what clients read, from the binary alone.
    expect 200 '.openapi | startswith("3.1")' "$base/openapi.json"
    curl -sS "$base/metrics" | grep -q '^http_requests_total{' ||
        die "GET /metrics has no http_requests_total"
}
