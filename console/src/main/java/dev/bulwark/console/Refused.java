package dev.bulwark.console;

/** A service said no (or could not be reached); the page shows its problem. */
class Refused extends RuntimeException {

    private final transient Problem problem;

    Refused(Problem problem) {
        super(problem.status() + " " + problem.type() + ": " + problem.detail());
        this.problem = problem;
    }

    Problem problem() {
        return problem;
    }
}
