-- wrk script: POST the JSON in $SUBMIT_BODY to the URL (bench/http_bench.sh)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("SUBMIT_BODY")
