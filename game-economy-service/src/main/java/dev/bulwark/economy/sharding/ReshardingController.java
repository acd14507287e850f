package dev.bulwark.economy.sharding;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.bulwark.platform.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;

/** Operators start, follow and abort online resharding jobs (ADMIN acts, VIEWER reads). */
@RestController
@RequestMapping("/api/v1/admin/resharding")
@PreAuthorize("@access.hasRole('ADMIN')")
class ReshardingController {

    private final ReshardJobs jobs;

    ReshardingController(ReshardJobs jobs) {
        this.jobs = jobs;
    }

    record AddShard(String shardId, String jdbcUrl, Double weight) {
    }

    record RemoveShard(String shardId) {
    }

    record Reweight(String shardId, Double weight) {
    }

    /** Exactly one of the three. */
    record StartRequest(AddShard addShard, RemoveShard removeShard, Reweight reweight) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Start a resharding job: add a shard (its URL without credentials), drain one, or reweight one;"
            + " 409 while another job is active")
    ReshardJobs.View start(@RequestBody StartRequest body) {
        int given = (body.addShard() == null ? 0 : 1) + (body.removeShard() == null ? 0 : 1) + (body.reweight() == null ? 0 : 1);
        if (given != 1) {
            throw ApiException.badRequest("invalid-request", "Give exactly one of addShard, removeShard, reweight");
        }
        ReshardJobs.Request request;
        if (body.addShard() != null) {
            request = new ReshardJobs.Request(ReshardJobs.Kind.ADD_SHARD, required(body.addShard().shardId()),
                    body.addShard().jdbcUrl(), body.addShard().weight());
        } else if (body.removeShard() != null) {
            request = new ReshardJobs.Request(ReshardJobs.Kind.REMOVE_SHARD, required(body.removeShard().shardId()), null, null);
        } else {
            request = new ReshardJobs.Request(ReshardJobs.Kind.REWEIGHT, required(body.reweight().shardId()), null,
                    body.reweight().weight());
        }
        return jobs.start(request);
    }

    private static String required(String shardId) {
        if (shardId == null || !shardId.matches("[a-z0-9]{1,40}")) {
            throw ApiException.badRequest("invalid-shard", "A shard id is 1-40 lower-case letters and digits");
        }
        return shardId;
    }

    @GetMapping("/{jobId}")
    @PreAuthorize("@access.isOperator()")
    @Operation(summary = "A resharding job: phase, players and rows moved, rate, catch-up lag, fence time, errors")
    ReshardJobs.View get(@PathVariable UUID jobId) {
        return jobs.view(jobId).orElseThrow(() -> ApiException.notFound("resharding job " + jobId));
    }

    @DeleteMapping("/{jobId}")
    @Operation(summary = "Abort a job before its switch (it rolls back); 409 after it")
    ReshardJobs.View abort(@PathVariable UUID jobId) {
        return jobs.abort(jobId);
    }
}
